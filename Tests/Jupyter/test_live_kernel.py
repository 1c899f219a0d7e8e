"""The Glimpse kernel started the way JupyterLab's server starts kernels (jupyter_client's KernelManager).

Measures and prints: start to kernel_info_reply, a `predict` round trip, interrupt latency (message and
SIGINT) during a long occlusion, heartbeat during that occlusion, shutdown and restart times.
"""
import os
import signal
import time

import pytest
from jupyter_client.manager import KernelManager

LONG_OCCLUSION = "occlusion patch=4 stride=1"  # tens of thousands of forward passes: runs for minutes


def report(capsys, text):
    with capsys.disabled():
        print(f"\n  [measured] {text}", end="")


@pytest.fixture()
def kernel():
    km = KernelManager(kernel_name="glimpse")
    started = time.monotonic()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=30)
    ready = time.monotonic() - started
    yield km, kc, ready
    kc.stop_channels()
    if km.is_alive():
        km.shutdown_kernel(now=True)


def run(kc, code, timeout=120):
    """Executes code and returns (reply content, iopub messages before idle)."""
    msg_id = kc.execute(code)
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        outputs.append(msg)
    reply = kc.get_shell_msg(timeout=timeout)
    return reply["content"], outputs


def test_ready_at_once_and_predicts(kernel, capsys):
    km, kc, ready = kernel
    report(capsys, f"start to kernel_info_reply: {ready * 1000:.0f} ms")
    # kernel_info on control too (jupyter_server asks on both).
    kc.control_channel.send(kc.session.msg("kernel_info_request"))
    reply = kc.control_channel.get_msg(timeout=5)
    assert reply["msg_type"] == "kernel_info_reply"
    assert reply["content"]["language_info"]["name"] == "glimpse"

    content, _ = run(kc, "load\nimage chelsea")
    assert content["status"] == "ok"
    started = time.monotonic()
    content, outputs = run(kc, "predict top=5")
    elapsed = time.monotonic() - started
    report(capsys, f"predict round trip through the kernel: {elapsed * 1000:.0f} ms")
    assert content["status"] == "ok"
    results = [m for m in outputs if m["msg_type"] == "execute_result"]
    assert len(results) == 1
    data = results[0]["content"]["data"]
    assert "Egyptian_cat" in data["text/plain"]
    assert "text/html" in data and "application/vnd.glimpse.table+json" in data


def interrupted_during_long_run(km, kc, capsys, how):
    run(kc, "load\nimage chelsea")
    msg_id = kc.execute(LONG_OCCLUSION)
    time.sleep(1.5)
    assert kc.hb_channel.is_beating(), "heartbeat must answer while a command runs"
    started = time.monotonic()
    if how == "message":
        km.interrupt_kernel()
    else:
        km.signal_kernel(signal.SIGINT)
    reply = kc.get_shell_msg(timeout=10)
    latency = time.monotonic() - started
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"]["status"] == "error"
    report(capsys, f"interrupt by {how}: reply after {latency * 1000:.0f} ms")
    assert latency < 5
    # The session is intact: the image is still current and the model loaded.
    content, outputs = run(kc, "predict top=1")
    assert content["status"] == "ok", content
    assert any("Egyptian_cat" in m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result")


def test_interrupt_by_message(kernel, capsys):
    km, kc, _ = kernel
    interrupted_during_long_run(km, kc, capsys, "message")


def test_interrupt_by_sigint(kernel, capsys):
    km, kc, _ = kernel
    interrupted_during_long_run(km, kc, capsys, "SIGINT")


def test_shutdown_and_restart_leave_no_process(kernel, capsys):
    km, kc, _ = kernel
    pid = km.provisioner.pid
    started = time.monotonic()
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=30)
    report(capsys, f"restart to ready: {(time.monotonic() - started) * 1000:.0f} ms")
    assert not pid_alive(pid), "the old kernel process must be gone after a restart"
    new_pid = km.provisioner.pid
    started = time.monotonic()
    km.shutdown_kernel(now=False)
    report(capsys, f"graceful shutdown: {(time.monotonic() - started) * 1000:.0f} ms")
    assert not km.is_alive()
    assert not pid_alive(new_pid)


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purposes once reaped; KernelManager waits on it.
    try:
        with open(f"/proc/{pid}/status") as f:
            return "zombie" not in f.read()
    except FileNotFoundError:
        return False
