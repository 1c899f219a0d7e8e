#!/usr/bin/env python3
"""Screenshots a notebook open in JupyterLab with headless Chromium, driven over the DevTools protocol.

Usage: capture.py URL OUTPUT.png --images N [--width W --height H --timeout S --chromium PATH]

Starts Chromium (its own throw-away profile), opens URL, waits until the notebook shows N loaded
images, its kernel is idle and no dialog is open, then writes the viewport as a PNG. Exits non-zero
with the last observed page state when that does not happen within the timeout, so a blank page,
a spinner or a kernel-selection dialog never ends up committed as "the screenshot".
Only the standard library: a minimal WebSocket client (RFC 6455, text frames) is enough for CDP.
"""

import argparse
import base64
import http.client
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time


class WebSocket:
  """A blocking WebSocket client: masked text frames out, (possibly fragmented) frames in."""

  def __init__(self, url):
    assert url.startswith("ws://"), url
    host_port, _, path = url[len("ws://"):].partition("/")
    host, _, port = host_port.partition(":")
    self.sock = socket.create_connection((host, int(port or 80)), timeout=60)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
    self.sock.sendall(request.encode())
    response = b""
    while b"\r\n\r\n" not in response:
      chunk = self.sock.recv(4096)
      if not chunk:
        raise ConnectionError("DevTools closed the connection during the handshake")
      response += chunk
    head, _, self.pending = response.partition(b"\r\n\r\n")
    if b" 101 " not in head.split(b"\r\n", 1)[0]:
      raise ConnectionError(f"WebSocket handshake refused: {head[:200]!r}")

  def _read(self, n):
    while len(self.pending) < n:
      chunk = self.sock.recv(max(65536, n - len(self.pending)))
      if not chunk:
        raise ConnectionError("DevTools closed the connection")
      self.pending += chunk
    data, self.pending = self.pending[:n], self.pending[n:]
    return data

  def _send_frame(self, opcode, payload):
    # Client frames must be masked (RFC 6455 5.3).
    header = bytes([0x80 | opcode])
    n = len(payload)
    if n < 126:
      header += bytes([0x80 | n])
    elif n < 1 << 16:
      header += bytes([0x80 | 126]) + struct.pack(">H", n)
    else:
      header += bytes([0x80 | 127]) + struct.pack(">Q", n)
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    self.sock.sendall(header + mask + masked)

  def send(self, text):
    self._send_frame(0x1, text.encode())

  def receive(self):
    """Returns the next text message, answering pings on the way."""
    message = b""
    while True:
      b0, b1 = self._read(2)
      opcode, n = b0 & 0x0F, b1 & 0x7F
      if n == 126:
        n = struct.unpack(">H", self._read(2))[0]
      elif n == 127:
        n = struct.unpack(">Q", self._read(8))[0]
      mask = self._read(4) if b1 & 0x80 else None
      payload = self._read(n)
      if mask:
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
      if opcode == 0x8:
        raise ConnectionError("DevTools closed the WebSocket")
      if opcode == 0x9:
        self._send_frame(0xA, payload)
        continue
      if opcode in (0x0, 0x1, 0x2):
        message += payload
        if b0 & 0x80:
          return message.decode()


class DevTools:
  """CDP commands over one page target's WebSocket; events are read and dropped."""

  def __init__(self, ws):
    self.ws, self.next_id = ws, 0

  def call(self, method, **params):
    self.next_id += 1
    self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
    while True:
      reply = json.loads(self.ws.receive())
      if reply.get("id") == self.next_id:
        if "error" in reply:
          raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

  def evaluate(self, expression):
    result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
    if "exceptionDetails" in result:
      raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
    return result["result"].get("value")


# What the page shows, as one JSON-able object: the rendered output images (and how many have
# decoded pixels), any open dialog, and the notebook toolbar's kernel name and status indicator.
# Class names are JupyterLab 4's.
PAGE_STATE = """(() => {
  const images = [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output img')];
  const dialog = document.querySelector('.jp-Dialog');
  const kernel = document.querySelector('.jp-Notebook-toolbarKernelName, .jp-KernelName');
  const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
  return {
    images: images.length,
    loaded: images.filter(i => i.complete && i.naturalWidth > 0).length,
    dialog: dialog ? dialog.innerText.slice(0, 200) : null,
    kernel: kernel ? kernel.innerText.trim() : null,
    status: indicator ? indicator.dataset.status : null,
  };
})()"""


def start_chromium(chromium, profile, width, height):
  args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
          "--no-first-run", "--no-default-browser-check", "--disable-extensions",
          "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
          f"--user-data-dir={profile}", f"--window-size={width},{height}", "about:blank"]
  log = open(os.path.join(profile, "chromium.log"), "w")
  process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
  # Chromium writes the port it picked into the profile once DevTools listens.
  port_file = os.path.join(profile, "DevToolsActivePort")
  for _ in range(300):
    if os.path.exists(port_file):
      lines = open(port_file).read().split()
      if lines:
        return process, int(lines[0])
    if process.poll() is not None:
      raise RuntimeError(f"chromium exited ({process.returncode}); see {log.name}")
    time.sleep(0.1)
  raise RuntimeError("chromium did not open its DevTools port within 30 s")


def page_websocket_url(port):
  connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
  connection.request("GET", "/json/list")
  targets = json.loads(connection.getresponse().read())
  pages = [t for t in targets if t.get("type") == "page"]
  if not pages:
    raise RuntimeError(f"no page target among {targets}")
  return pages[0]["webSocketDebuggerUrl"]


def wait_until_rendered(tools, images, timeout):
  deadline, state = time.monotonic() + timeout, None
  while time.monotonic() < deadline:
    state = tools.evaluate(PAGE_STATE)
    if state and state["dialog"]:
      raise RuntimeError(f"a dialog is open (is the Glimpse kernelspec installed?): {state}")
    if (state and state["loaded"] >= images and state["kernel"] == "Glimpse"
        and state["status"] == "idle"):
      return state
    time.sleep(0.5)
  raise RuntimeError(f"the notebook did not render within {timeout} s; last state: {state}")


def main():
  parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
  parser.add_argument("url")
  parser.add_argument("output")
  parser.add_argument("--images", type=int, required=True, help="output images to wait for")
  parser.add_argument("--width", type=int, default=1400)
  parser.add_argument("--height", type=int, default=2200)
  parser.add_argument("--timeout", type=float, default=120)
  parser.add_argument("--chromium", default="chromium")
  options = parser.parse_args()

  with tempfile.TemporaryDirectory(prefix="glimpse-chromium-", ignore_cleanup_errors=True) as profile:
    process, port = start_chromium(options.chromium, profile, options.width, options.height)
    try:
      tools = DevTools(WebSocket(page_websocket_url(port)))
      tools.call("Emulation.setDeviceMetricsOverride", width=options.width,
                 height=options.height, deviceScaleFactor=1, mobile=False)
      # A headless page never has focus; JupyterLab shows its status bar items for the focused
      # notebook only.
      tools.call("Emulation.setFocusEmulationEnabled", enabled=True)
      tools.call("Page.navigate", url=options.url)
      started = time.monotonic()
      state = wait_until_rendered(tools, options.images, options.timeout)
      # Let the last layout pass and the status bar settle before the picture.
      time.sleep(1.0)
      shot = tools.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)
      with open(options.output, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
      print(f"capture: rendered in {time.monotonic() - started:.1f} s: {json.dumps(state)}")
    finally:
      process.terminate()
      try:
        process.wait(timeout=10)
      except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


if __name__ == "__main__":
  # SIGTERM (the shell script's trap) unwinds like an exception, so Chromium is stopped too.
  signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
  try:
    main()
  except (RuntimeError, ConnectionError, OSError) as error:
    print(f"capture: {error}", file=sys.stderr)
    sys.exit(1)
