#!/usr/bin/env bash
# On a GPU host: energy per token and correlation windows against a CUDA llama-server, beside
# pynvml. Prepared by scripts/gpu-energy-check/prepare; results under $OUT.
set -u
cd "$(dirname "$0")/../../out/dev" || exit 1
untar() { tar -xJf "$1" -C "$2" 2>/dev/null || python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$1" "$2"; }
untar jre.tar.xz .
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$OUT"/gpu.txt
# Built outside the carried folder, so a second call on the same machine reuses it.
ll=/tmp/inferscope-llama
if [ ! -x $ll/build/bin/llama-server ]; then
  rm -rf $ll && mkdir -p $ll && untar llama.tar.xz $ll
t0=$SECONDS
cmake -S $ll -B $ll/build -G Ninja -DCMAKE_BUILD_TYPE=Release -DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90-real \
  -DGGML_NATIVE=OFF -DGGML_CUDA_FA_QUANTS=f16-f16 -DGGML_CUDA_NCCL=OFF -DBUILD_SHARED_LIBS=OFF \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF \
  -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_APP=OFF > "$OUT"/cmake.log 2>&1 || { tail -30 "$OUT"/cmake.log; exit 1; }
cmake --build $ll/build --target llama-server -j 16 > "$OUT"/build.log 2>&1 || { tail -40 "$OUT"/build.log; exit 1; }
echo "build $((SECONDS - t0)) s"
fi
setsid -f $ll/build/bin/llama-server -m tiny-llama-spm-22m-q8_0.gguf --host 127.0.0.1 --port 18080 \
  -c 16384 -np 8 -ngl 99 --metrics > "$OUT"/server.log 2>&1 < /dev/null
for _ in $(seq 1 240); do curl -sf http://127.0.0.1:18080/health > /dev/null && break; sleep 0.25; done
curl -s http://127.0.0.1:18080/health; echo
# pynvml's energy counter every 20 ms on CLOCK_MONOTONIC, the clock System.nanoTime reads
python3 - "$OUT"/nvml-figures.txt > "$OUT"/nvml.txt <<'PY' &
import time, pynvml, sys
pynvml.nvmlInit(); h = pynvml.nvmlDeviceGetHandleByIndex(0)
end = time.monotonic() + 80
figures = open(sys.argv[1], 'w')
n = 0
while time.monotonic() < end:
    t = time.monotonic_ns(); e = pynvml.nvmlDeviceGetTotalEnergyConsumption(h); p = pynvml.nvmlDeviceGetPowerUsage(h)
    print(t, e, p); sys.stdout.flush()
    n += 1
    if n % 5 == 0:
        # every 100 ms, the figures inferscope samples: SM and memory use, VRAM, power, per-process VRAM
        t = time.monotonic_ns(); u = pynvml.nvmlDeviceGetUtilizationRates(h)
        m = pynvml.nvmlDeviceGetMemoryInfo(h); p = pynvml.nvmlDeviceGetPowerUsage(h)
        procs = ','.join(f'{q.pid}:{q.usedGpuMemory}' for q in pynvml.nvmlDeviceGetComputeRunningProcesses(h))
        print(t, u.gpu, u.memory, m.used, p, procs or '-', file=figures); figures.flush()
    time.sleep(0.02)
PY
logger=$!
sleep 1
J="jre/bin/java --enable-native-access=ALL-UNNAMED -jar inferscope.jar"
$J run --url http://127.0.0.1:18080 -c 8 -d 8s --warmup 8 --max-tokens 256 --extra-body '{"ignore_eos":true}' \
  --json "$OUT"/run8.json --progress off > "$OUT"/run8.txt 2> "$OUT"/run8.err; echo "run8 exit $?"
$J run --url http://127.0.0.1:18080 -c 1 -d 6s --warmup 2 --max-tokens 256 --extra-body '{"ignore_eos":true}' \
  --json "$OUT"/run1.json --progress off > "$OUT"/run1.txt 2> "$OUT"/run1.err; echo "run1 exit $?"
# Long prompts, short answers: a real prefill share for the energy split by phase.
$J run --url http://127.0.0.1:18080 -c 8 -d 8s --warmup 8 --input-tokens 1500 --max-tokens 32 \
  --extra-body '{"ignore_eos":true}' --json "$OUT"/prefill8.json --progress off > "$OUT"/prefill8.txt 2> "$OUT"/prefill8.err
echo "prefill8 exit $?"
kill $logger; wait $logger 2>/dev/null
python3 ../../scripts/gpu-energy-check/analyze.py "$OUT"/nvml.txt "$OUT"/run8.json "$OUT"/run1.json "$OUT"/prefill8.json \
  | tee "$OUT"/result.txt
sed -n '/^Energy by phase/,/^$/p' "$OUT"/prefill8.txt
python3 ../../scripts/gpu-energy-check/pair.py "$OUT"/nvml-figures.txt "$OUT"/run8.json "$OUT"/prefill8.json \
  "$(pgrep -f 'llama-server -m')" | tee "$OUT"/pairs.txt
sed -n '/^GPU/,$p' "$OUT"/run8.txt | head -40
