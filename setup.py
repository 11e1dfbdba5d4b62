"""Entry point for setuptools; the build logic lives in build.py."""

import importlib.util
from pathlib import Path

from setuptools import Extension, setup

_spec = importlib.util.spec_from_file_location("pyriver_build", Path(__file__).with_name("build.py"))
assert _spec and _spec.loader
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

setup(
    ext_modules=[Extension("pyriver._pyriver", ["go/main.go"])],
    build_golang={"root": "github.com/pyriver/pyriver"},
    cffi_modules=["build.py:ffibuilder"],
    cmdclass={"build_ext": build.BuildGoExt, "bdist_wheel": build.PlatformWheel},
)
