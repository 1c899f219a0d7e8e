"""The official jupyter_kernel_test suite against the Glimpse kernel (installed as kernelspec `glimpse`)."""
import unittest

import jupyter_kernel_test


class GlimpseKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "glimpse"
    language_name = "glimpse"
    file_extension = ".glimpse"

    code_hello_world = 'echo "hello, world"'
    code_stderr = "echo oops to=stderr"

    completion_samples = [
        {"text": "gradc", "matches": {"gradcam"}},
        {"text": "occlusion pat", "matches": {"patch="}},
    ]
    complete_code_samples = ["predict top=3", "image chelsea\npredict"]
    incomplete_code_samples = ['image "chel', "gradcam \\"]
    invalid_code_samples = ["gradcam layer=)"]

    code_generate_error = "frobnicate"

    code_execute_result = [
        {"code": "get alpha", "result": "setting  value\nalpha    0.5"},
    ]
    code_display_data = [
        {"code": "image chelsea\nshow chelsea", "mime": "image/png"},
    ]

    code_history_pattern = "get*"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "gradcam"


if __name__ == "__main__":
    unittest.main()
