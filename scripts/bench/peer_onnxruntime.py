#!/usr/bin/env python3
"""Times onnxruntime on an ONNX classifier: load, then the median of repeated forward passes.

Prints one JSON object: median/min/max forward milliseconds, load milliseconds and peak RSS.
The session runs sequentially (one op at a time) with intra_op_num_threads threads, all graph
optimisations on (onnxruntime's default), on the CPU provider. The input is seeded random
float32 of the model's input shape with the batch axis set to --batch.

Usage: peer_onnxruntime.py MODEL.onnx [--batch 1] [--threads 2] [--repetitions 10] [--warmup 2]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time

import numpy as np
import onnxruntime as ort


def input_shape(session: ort.InferenceSession, batch: int) -> tuple[str, list[int]]:
  """The first input's name and shape, symbolic axes given the batch size (224 if not the first)."""
  first = session.get_inputs()[0]
  shape = []
  for axis, extent in enumerate(first.shape):
    if isinstance(extent, int) and extent > 0:
      shape.append(batch if axis == 0 else extent)
    else:
      shape.append(batch if axis == 0 else 224)
  return first.name, shape


def peak_rss_mb() -> float:
  """Peak resident set size of this process (Linux reports KiB)."""
  return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("model")
  parser.add_argument("--batch", type=int, default=1)
  parser.add_argument("--threads", type=int, default=2)
  parser.add_argument("--repetitions", type=int, default=10)
  parser.add_argument("--warmup", type=int, default=2)
  parser.add_argument("--seed", type=int, default=0)
  args = parser.parse_args()

  rss_before = peak_rss_mb()
  options = ort.SessionOptions()
  options.intra_op_num_threads = args.threads
  options.inter_op_num_threads = 1
  options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
  options.log_severity_level = 3
  start = time.perf_counter()
  session = ort.InferenceSession(args.model, options, providers=["CPUExecutionProvider"])
  load_ms = (time.perf_counter() - start) * 1000
  rss_after_load = peak_rss_mb()

  name, shape = input_shape(session, args.batch)
  feed = {name: np.random.default_rng(args.seed).standard_normal(shape).astype(np.float32)}
  for _ in range(args.warmup):
    session.run(None, feed)
  times = []
  for _ in range(args.repetitions):
    start = time.perf_counter()
    session.run(None, feed)
    times.append((time.perf_counter() - start) * 1000)

  print(json.dumps({
      "engine": "onnxruntime", "version": ort.__version__,
      "model": os.path.basename(args.model), "batch": args.batch, "threads": args.threads,
      "input_shape": shape, "repetitions": args.repetitions,
      "forward_ms_median": round(statistics.median(times), 3),
      "forward_ms_min": round(min(times), 3), "forward_ms_max": round(max(times), 3),
      "per_image_ms": round(statistics.median(times) / args.batch, 3),
      "load_ms": round(load_ms, 1),
      "peak_rss_mb": round(peak_rss_mb(), 1),
      "rss_before_load_mb": round(rss_before, 1),
      "peak_rss_after_load_mb": round(rss_after_load, 1),
      "python": sys.version.split()[0],
  }, indent=None))


if __name__ == "__main__":
  main()
