#!/usr/bin/env python3
"""The quantization lab's error scan in numpy, written to be fast: the fair reference of issue 20.

Does on the same safetensors file what `scanSafetensors` does in TypeScript: for each BF16/F16/F32
tensor, absmax, the fraction of |x| >= 6.0, and per method the error sums of
dequantize(quantize(x)): squared error, signal power, max |error|, relative error over x != 0,
values that became 0. Methods (same definitions as core/quantlab):
  blockwise8:B  absmax int8 over blocks of B: q = rint(x * (127 / absmax)), x^ = f32(q * (absmax / 127))
  nf4:B         bitsandbytes NF4 over blocks of B: code = #thresholds below f32(x * f32(1 / absmax)),
                x^ = f32(NF4[code] * absmax)
How it stays fair (issue 20): float32 throughout except where the TypeScript kernels compute in
float64 (the int8 product x * (127 / absmax), so that q is the same everywhere, and the sums);
chunks of 64 Ki values so every temporary stays in the L2 cache; every buffer allocated once and
reused with `out=`; reductions by counting and BLAS dot products, never boolean-index copies;
OPENBLAS_NUM_THREADS=1 in each process (no busy-waiting BLAS threads) and one process per core.

Usage: quantlab_numpy_scan.py FILE [--methods blockwise8:64,nf4:64] [--workers N] [--chunk-elements N]
Prints one JSON document: wall and CPU seconds (all processes), bytes, GB/s, peak RSS, per-tensor results.
Requires numpy (Debian: apt-get install python3-numpy).
"""
import os

os.environ['OPENBLAS_NUM_THREADS'] = '1'  # before numpy loads OpenBLAS
os.environ['OMP_NUM_THREADS'] = '1'

import argparse
import json
import multiprocessing
import resource
import struct
import sys
import time

import numpy as np

# bitsandbytes get_4bit_type('nf4') and the thresholds of csrc/kernels.cu dQuantizeNF4.
NF4_CODE = np.array([
    -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
    -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
    0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941,
    0.7229568362236023, 1.0], dtype=np.float32)
NF4_THRESHOLDS = np.array([
    -0.8480964004993439, -0.6106329262256622, -0.4599952697753906, -0.33967943489551544,
    -0.23460740596055984, -0.13791173323988914, -0.045525018125772476, 0.03979014977812767,
    0.1202552504837513, 0.2035212516784668, 0.2920137718319893, 0.3893125355243683,
    0.5016634166240692, 0.6427869200706482, 0.8614784181118011], dtype=np.float32)
OUTLIER_THRESHOLD = 6.0
BYTES = {'F32': 4, 'F16': 2, 'BF16': 2}
# Jobs of 2^24 values, as core/quantlab/scan-jobs.ts SCAN_JOB_ELEMENTS cuts them.
JOB_ELEMENTS = 2 ** 24
# The smallest float32 subnormal: |x| replaced by it where x = 0 (then e = 0 too, so e / it = 0).
TINY = np.float32(np.finfo(np.float32).smallest_subnormal)


def read_header(path):
    with open(path, 'rb') as f:
        (length,) = struct.unpack('<Q', f.read(8))
        header = json.loads(f.read(length))
    header.pop('__metadata__', None)
    tensors = []
    for name, entry in header.items():
        if entry['dtype'] in BYTES:
            begin, end = entry['data_offsets']
            tensors.append((name, entry['dtype'], 8 + length + begin, (end - begin) // BYTES[entry['dtype']]))
    tensors.sort(key=lambda t: t[2])
    return tensors


class Buffers:
    """Every array a chunk needs, allocated once."""

    def __init__(self, chunk, block):
        self.raw = bytearray(chunk * 4)
        self.u32 = np.empty(chunk, np.uint32)
        self.x = self.u32.view(np.float32)
        self.ax = np.empty(chunk, np.float32)
        self.dq = np.empty(chunk, np.float32)
        self.e = np.empty(chunk, np.float32)
        self.f64 = np.empty(chunk, np.float64)
        self.x64 = np.empty(chunk, np.float64)
        self.b1 = np.empty(chunk, np.bool_)
        self.b2 = np.empty(chunk, np.bool_)
        self.count = np.empty(chunk, np.uint8)
        self.amax = np.empty(chunk // block + 1, np.float32)
        self.inv64 = np.empty(chunk // block + 1, np.float64)
        self.step64 = np.empty(chunk // block + 1, np.float64)
        self.inv32 = np.empty(chunk // block + 1, np.float32)


def block_absmax(buf, n, block):
    blocks = n // block
    np.maximum.reduce(buf.ax[:n].reshape(blocks, block), axis=1, out=buf.amax[:blocks])
    return buf.amax[:blocks]


def blockwise8(buf, n, block):
    blocks = n // block
    amax = block_absmax(buf, n, block)
    inv, step = buf.inv64[:blocks], buf.step64[:blocks]
    # dtype=float64: under NEP 50 a Python float beside a float32 array computes in float32.
    with np.errstate(divide='ignore'):
        np.divide(127.0, amax, out=inv, dtype=np.float64)
    inv[amax == 0] = 0.0  # core/quantlab/linear.ts: an all-zero group has inverse 0
    np.divide(amax, 127.0, out=step, dtype=np.float64)
    p = buf.f64[:n].reshape(blocks, block)
    np.multiply(buf.x[:n].reshape(blocks, block), inv[:, None], out=p)
    np.rint(p, out=p)
    np.multiply(p, step[:, None], out=p)
    buf.dq[:n] = buf.f64[:n]  # float64 → float32, rounded to nearest


def nf4(buf, n, block):
    blocks = n // block
    amax = block_absmax(buf, n, block)
    inv = buf.inv32[:blocks]
    with np.errstate(divide='ignore'):
        np.divide(np.float32(1), amax, out=inv)
    normalized = buf.e[:n]
    with np.errstate(invalid='ignore'):
        np.multiply(buf.x[:n].reshape(blocks, block), inv[:, None], out=normalized.reshape(blocks, block))
    # The code index is the number of thresholds below the value (the decision tree's answer).
    index = buf.count[:n]
    index.fill(0)
    b = buf.b1[:n]
    for threshold in NF4_THRESHOLDS:
        np.greater(normalized, threshold, out=b)
        np.add(index, b, out=index, casting='unsafe')
    np.take(NF4_CODE, index, out=buf.dq[:n])
    np.multiply(buf.dq[:n].reshape(blocks, block), amax[:, None], out=buf.dq[:n].reshape(blocks, block))


METHODS = {'blockwise8': blockwise8, 'nf4': nf4}


def empty_sums():
    return {'count': 0, 'sse': 0.0, 'signal': 0.0, 'maxAbsError': 0.0, 'relative': 0.0, 'nonzero': 0, 'zeroed': 0}


def accumulate(buf, n, sums, signal, nonzero):
    x, dq, e, e64 = buf.x[:n], buf.dq[:n], buf.e[:n], buf.f64[:n]
    np.subtract(x, dq, out=e)  # exact: x and x^ are within a factor 2, or x^ = 0 (Sterbenz)
    e64[...] = e
    sums['count'] += n
    sums['sse'] += float(np.dot(e64, e64))
    sums['signal'] += signal
    np.abs(e, out=e)
    sums['maxAbsError'] = max(sums['maxAbsError'], float(e.max(initial=0.0)))
    np.divide(e, buf.ax[:n], out=e)
    sums['relative'] += float(np.add.reduce(e, dtype=np.float64))
    sums['nonzero'] += nonzero
    np.equal(dq, 0, out=buf.b1[:n])
    np.not_equal(x, 0, out=buf.b2[:n])
    np.logical_and(buf.b1[:n], buf.b2[:n], out=buf.b1[:n])
    sums['zeroed'] += int(np.count_nonzero(buf.b1[:n]))


def scan_job(args):
    path, methods, chunk, align, (tensor_index, dtype, offset, start, end) = args
    buf = Buffers(chunk, align)
    width = BYTES[dtype]
    sums = [empty_sums() for _ in methods]
    absmax, outliers = 0.0, 0
    with open(path, 'rb', buffering=0) as f:
        f.seek(offset + start * width)
        for at in range(start, end, chunk):
            n = min(chunk, end - at)
            view = memoryview(buf.raw)[:n * width]
            if f.readinto(view) != n * width:
                raise SystemExit(f'{path}: truncated')
            if dtype == 'F32':
                buf.x[:n] = np.frombuffer(view, '<f4', n)
            elif dtype == 'BF16':
                buf.u32[:n] = np.frombuffer(view, '<u2', n)
                np.left_shift(buf.u32[:n], 16, out=buf.u32[:n])
            else:
                buf.x[:n] = np.frombuffer(view, '<f2', n)
            x, ax = buf.x[:n], buf.ax[:n]
            np.abs(x, out=ax)
            absmax = max(absmax, float(ax.max()))
            np.greater_equal(ax, OUTLIER_THRESHOLD, out=buf.b1[:n])
            outliers += int(np.count_nonzero(buf.b1[:n]))
            nonzero = int(np.count_nonzero(x))
            x64 = buf.x64[:n]
            x64[...] = x
            signal = float(np.dot(x64, x64))
            for (_, method, block), s in zip(methods, sums):
                method(buf, n, block)
                # |x| with zeros replaced by TINY, after the methods have used |x| for block maxima.
                accumulate_ax = buf.ax[:n]
                np.maximum(accumulate_ax, TINY, out=accumulate_ax)
                accumulate(buf, n, s, signal, nonzero)
                np.abs(x, out=ax)  # restore |x| for the next method's block maxima
    return tensor_index, start, absmax, outliers, sums


def metrics(s):
    mse = s['sse'] / s['count'] if s['count'] else 0.0
    return {
        'mse': mse,
        'rmse': mse ** 0.5,
        'maxAbsError': s['maxAbsError'],
        'snrDb': None if s['sse'] == 0 else 10 * float(np.log10(s['signal'] / s['sse'])),
        'meanRelError': s['relative'] / s['nonzero'] if s['nonzero'] else 0.0,
        'zeroedFraction': s['zeroed'] / s['count'] if s['count'] else 0.0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('file')
    parser.add_argument('--methods', default='blockwise8:64,nf4:64')
    parser.add_argument('--workers', type=int, default=os.cpu_count() or 1)
    parser.add_argument('--chunk-elements', type=int, default=2 ** 16)
    args = parser.parse_args()
    methods = []
    for item in args.methods.split(','):
        name, block = item.split(':')
        methods.append((item, METHODS[name], int(block)))
    align = max(block for _, _, block in methods)
    chunk = max(align, args.chunk_elements // align * align)

    wall0, cpu0 = time.perf_counter(), time.process_time()
    tensors = read_header(args.file)
    jobs = [(args.file, methods, chunk, align, (k, dtype, offset, start, min(elements, start + JOB_ELEMENTS)))
            for k, (_, dtype, offset, elements) in enumerate(tensors)
            for start in range(0, elements, JOB_ELEMENTS)]
    if any(elements % align for _, _, _, elements in tensors):
        raise SystemExit('every tensor must be a whole number of blocks')
    if args.workers > 1:
        with multiprocessing.get_context('fork').Pool(args.workers) as pool:
            results = pool.map(scan_job, jobs, chunksize=1)
    else:
        results = [scan_job(job) for job in jobs]
    rows = []
    for k, (name, dtype, _, elements) in enumerate(tensors):
        parts = sorted((r for r in results if r[0] == k), key=lambda r: r[1])
        sums = [empty_sums() for _ in methods]
        for _, _, _, _, part in parts:
            for total, s in zip(sums, part):
                for key in total:
                    total[key] = max(total[key], s[key]) if key == 'maxAbsError' else total[key] + s[key]
        rows.append({'name': name, 'absmax': max(p[2] for p in parts),
                     'outlierFraction': sum(p[3] for p in parts) / elements,
                     'results': [{'method': label, 'metrics': metrics(s)} for (label, _, _), s in zip(methods, sums)]})
    wall = time.perf_counter() - wall0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu0 + children.ru_utime + children.ru_stime
    total_bytes = sum(elements * BYTES[dtype] for _, dtype, _, elements in tensors)
    json.dump({
        'numpy': np.__version__,
        'workers': args.workers,
        'seconds': wall,
        'cpuSeconds': cpu,
        'bytes': total_bytes,
        'gbPerSecond': total_bytes / wall / 1e9,
        'gbPerCpuSecond': total_bytes / cpu / 1e9,
        'peakRssMiB': max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, children.ru_maxrss) / 1024,
        'tensors': rows,
    }, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
