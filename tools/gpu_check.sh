#!/usr/bin/env bash
# One prepared GPU check for a lent NVIDIA machine (the workplace's `device` tool, 15 minutes a task):
# correctness of every GL kernel against the numpy reference on the real driver, then the timings
# that the speed targets are about. Two steps:
#
#   here (a machine with apt and pip), once, in the repository root:
#       tools/gpu_check.sh prepare      # .gl/ (EGL debs) and .whl/ (moderngl, glcontext), both git-ignored
#   there, as the device tool's command, with carry [".gl", ".whl"] and timeout_s 580:
#       tools/gpu_check.sh run
#
# What comes back under $OUT: info.txt (GL renderer, auto's measured choices), tests.txt (the
# reference tests on the GPU), bench.json (every GL kernel on the narrow target and 10 x 10), wide.json
# (the layered kernels on the wide target), variants.json (with GPU_CHECK_VARIANTS=1: the shared
# kernel's shapes), bench.txt (all as a table). About 4 to 6 minutes on an H200.
set -u
cd "$(dirname "$0")/.."

if [ "${1:-}" = prepare ]; then
    set -e
    grep -qx '/.gl/' .git/info/exclude || echo /.gl/ >> .git/info/exclude
    grep -qx '/.whl/' .git/info/exclude || echo /.whl/ >> .git/info/exclude
    mkdir -p .gl .whl /tmp/amd64/partial
    o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
    apt-get $o update -qq
    (cd .gl && apt-get $o download libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
    for pkg in "moderngl==$(python3 -c 'import moderngl; print(moderngl.__version__)')" glcontext; do
        python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
            --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
            -d .whl "$pkg"
    done
    ls .gl .whl
    exit 0
fi

[ "${1:-}" = run ] || { echo "usage: tools/gpu_check.sh prepare|run" >&2; exit 2; }
OUT=${OUT:-/tmp/gpu_check}
mkdir -p "$OUT"
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
vendor=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
if [ -f "$vendor" ]; then export __EGL_VENDOR_LIBRARY_FILENAMES=$vendor
else echo "no $vendor; EGL vendor files:" $(ls /usr/share/glvnd/egl_vendor.d/ /usr/local/nvidia/share/glvnd/egl_vendor.d/ 2>&1); fi
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1 XDG_CACHE_HOME=/tmp/glnn-cache
nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv | tee "$OUT/gpu.txt"
timeout 60 python3 -m glnn info 2>&1 | tee "$OUT/info.txt"
# correctness first: every kernel against the reference on this driver (the unrolled GPU variants)
timeout 170 python3 -m pytest -q --maxfail=5 -p no:cacheprovider tests/gl/test_backends_reference.py 2>&1 | tail -40 | tee "$OUT/tests.txt"
# the targets: 27x30 at 3840x2160 <= 8 ms per frame, 14x400 at 1920x1080 >= 20 TFLOP/s
timeout 150 python3 -m glnn bench --json --kernels all --no-process --budget 4 \
    --case 27x30@3840x2160 --case 10x10@1920x1080 > "$OUT/bench.json" 2> "$OUT/bench.err"
# the wide target on the layered GL kernels alone, with a budget that lets a slow frame finish
timeout 120 python3 -m glnn bench --json --kernels gemm,layered --no-process --budget 20 \
    --case 14x400@1920x1080 > "$OUT/wide.json" 2>> "$OUT/bench.err"
# tuning (GPU_CHECK_VARIANTS=1): the shared kernel's pixels per invocation and workgroup size
[ "${GPU_CHECK_VARIANTS:-0}" = 1 ] && timeout 100 python3 -m glnn bench --json --kernels shared --shared-variants \
    --no-process --budget 3 --case 27x30@3840x2160 > "$OUT/variants.json" 2>> "$OUT/bench.err"
python3 - "$OUT/bench.json" "$OUT/wide.json" "$OUT/variants.json" <<'PY' | tee "$OUT/bench.txt"
import json, sys
from glnn.bench import describe_row
for name in sys.argv[1:]:
    try:
        data = json.load(open(name))
    except (OSError, ValueError) as e:
        print(f"{name}: no results ({e})")
        continue
    print(data["machine"])
    for row in data["results"]:
        print(describe_row(row))
PY
