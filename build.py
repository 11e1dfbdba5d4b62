"""Build glue for pyriver, used by setup.py.

Two things are built:

* the Go shim in ``go/``, compiled by setuptools-golang with
  ``go build -buildmode=c-shared`` into ``pyriver/_pyriver.so``. The file name
  is fixed rather than carrying Python's ABI suffix: the library has no
  CPython ABI dependency, so one wheel serves every Python version and the
  loader finds it by name;
* the cffi declarations of the shim's C surface, compiled in ABI mode
  ("out-of-line", no C compiler) into the module ``pyriver._ffi``.
"""

from __future__ import annotations

import os
import subprocess

import cffi
from setuptools.command.build_ext import build_ext
from setuptools.command.bdist_wheel import bdist_wheel

# The whole C surface. Every capability is a method reached through
# pyriver_call; adding one never changes these declarations.
CDEF = """
char *pyriver_call(const char *method, const char *request, size_t request_len,
                   char *reply, size_t reply_cap, size_t *response_len);
void pyriver_free(char *response);
"""

ffibuilder = cffi.FFI()
ffibuilder.cdef(CDEF)
ffibuilder.set_source("pyriver._ffi", None)

LIBRARY_NAME = "_pyriver.so"


def _go_env() -> dict[str, str]:
    """Settings that make the Go build reproducible and offline-friendly.

    GOTOOLCHAIN=local stops the go command from downloading a toolchain;
    -trimpath and -buildvcs=false keep build paths and VCS state out of the
    binary. An sdist carries go/vendor: -mod=vendor builds from it with no
    network. setuptools-golang builds in a temporary GOPATH; pointing it at
    the real one keeps the module cache between builds.
    """
    gopath = subprocess.check_output(["go", "env", "GOPATH"], text=True).strip()
    goflags = "-trimpath -buildvcs=false"
    if os.path.isdir(os.path.join("go", "vendor")):
        goflags += " -mod=vendor"
    return {
        "GOTOOLCHAIN": "local",
        "GOFLAGS": goflags,
        "SETUPTOOLS_GOLANG_GOPATH": os.environ.get("SETUPTOOLS_GOLANG_GOPATH", gopath),
    }


class BuildGoExt(build_ext):
    """build_ext that names the Go library by a fixed file name."""

    def get_ext_filename(self, fullname: str) -> str:
        package_path = fullname.split(".")[:-1]
        return os.path.join(*package_path, LIBRARY_NAME)

    def build_extensions(self) -> None:
        # The Go library includes no Python headers. Left in, the include
        # paths (which name the temporary build environment) would reach
        # CGO_CFLAGS, which Go records in the binary: no two builds would
        # then be byte-identical.
        self.compiler.include_dirs = []
        super().build_extensions()

    def run(self) -> None:
        # setuptools-golang's build_extension overrides any defined here and
        # reads its settings from the environment, so set them before it runs.
        os.environ.update(_go_env())
        super().run()


class PlatformWheel(bdist_wheel):
    """Tag the wheel py3-none-<platform>: it holds a native library but does
    not depend on the Python ABI. A cross-compiled library (``make dist``
    builds aarch64 on x86_64) names its platform in PYRIVER_WHEEL_PLATFORM,
    such as ``linux_aarch64``; auditwheel then gives the manylinux tag."""

    def get_tag(self) -> tuple[str, str, str]:
        _, _, platform = super().get_tag()
        return "py3", "none", os.environ.get("PYRIVER_WHEEL_PLATFORM", platform)
