"""Two real Jupyter clients: nbclient executing a notebook, and jupyter console in a pseudo-terminal."""
import os
import sys

import nbformat
import pexpect
from nbclient import NotebookClient


def test_nbclient_executes_a_notebook_and_keeps_images():
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "glimpse", "display_name": "Glimpse", "language": "glimpse"}
    nb.cells = [
        nbformat.v4.new_code_cell("load\nimage chelsea"),
        nbformat.v4.new_code_cell("predict top=3"),
        nbformat.v4.new_code_cell("gradcam class=tabby"),
    ]
    NotebookClient(nb, timeout=300, kernel_name="glimpse").execute()
    predict = nb.cells[1].outputs
    assert [o.output_type for o in predict] == ["execute_result"]
    assert "Egyptian_cat" in predict[0].data["text/plain"]
    picture = nb.cells[2].outputs
    assert [o.output_type for o in picture] == ["display_data"]
    assert picture[0].data["image/png"].startswith("iVBORw0KGgo")  # base64 of the PNG signature
    assert "tabby" in picture[0].data["text/plain"]
    assert picture[0].metadata == {}
    nbformat.validate(nb)


def test_jupyter_console_runs_a_command_with_an_image_and_leaves_on_exit():
    console = os.path.join(os.path.dirname(sys.executable), "jupyter")
    child = pexpect.spawn(console, ["console", "--kernel", "glimpse", "--simple-prompt"], encoding="utf-8", timeout=60)
    try:
        child.expect(r"In \[1\]: ")
        child.sendline("image chelsea")
        child.expect(r"In \[2\]: ")
        child.sendline("show chelsea")
        child.expect("chelsea")  # the text/plain line beside the PNG
        child.expect(r"In \[3\]: ")
        child.sendline("exit")
        child.expect(pexpect.EOF, timeout=30)
    finally:
        child.close(force=True)
