"""Measure what the sentence model costs in memory and CPU, one fresh process per onnxruntime setting.

    python -m tests.therapy.measure_sentence_model            # the table, every setting
    python -m tests.therapy.measure_sentence_model --one NAME # one setting, in this process (used by the table)

RSS (psutil) is read before onnxruntime is imported, after numpy/onnxruntime/tokenizers are (the
"model MB" column starts there), after the model is loaded and 10 turns are embedded, and
the CPU time of 40 more turns is averaged (process time: one intra-op thread, so CPU is what a turn costs).
A benchmark, not a test: run it quiet.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

# "app": what the app runs (the int8 graph, crisis_embedding_graph). "file_*": the file as shipped.
SETTINGS = ("app", "int8_graph_with_arena", "int8_graph_basic", "file_default_all", "file_all_one_thread",
            "file_all_no_arena", "file_basic", "file_extended", "file_disable_all", "file_no_constant_folding",
            "file_no_constant_folding_no_arena")
TURNS = [
    "I don't see a future for myself any more",
    "this traffic is murder, I swear",
    "I have been thinking about ending it, I have the pills saved up",
    "work has been stressful but I'm coping, I went for a run",
    "my sister keeps borrowing my charger and never gives it back",
    "honestly what is the point of any of it, everyone would be better off",
    "I tried to end it in my twenties and I'm still here and happy",
    "can you help me plan how to talk to my boss about the deadline",
    "he hits me when he drinks and I'm scared to go home tonight",
    "I keep thinking the world would be quieter without me in it",
]


def _one(name: str) -> dict[str, float]:
    import psutil

    process = psutil.Process()
    before = process.memory_info().rss
    import numpy  # noqa: F401 - the client has these loaded anyway (audio, the engine)
    import onnxruntime  # noqa: F401
    import tokenizers  # noqa: F401

    from therapy_desktop.therapy import crisis_embedding

    imported = process.memory_info().rss

    if name != "app":
        import onnxruntime as ort

        options = crisis_embedding.session_options()  # the app's threads and log level, then the variant
        options.enable_cpu_mem_arena = options.enable_mem_pattern = not name.endswith("no_arena")
        if name == "file_default_all":
            options = ort.SessionOptions()
        if name == "int8_graph_basic":
            options.enable_cpu_mem_arena = options.enable_mem_pattern = False
        level = {"basic": "ORT_ENABLE_BASIC", "extended": "ORT_ENABLE_EXTENDED", "disable_all": "ORT_DISABLE_ALL"}
        options.graph_optimization_level = getattr(
            ort.GraphOptimizationLevel, level.get(name.split("_")[-1], "ORT_ENABLE_ALL"))
        disabled = ["ConstantFolding"] if "no_constant_folding" in name else None
        crisis_embedding.configure(options, disabled_optimizers=disabled, rewrite=name.startswith("int8_graph"))
    start = time.perf_counter()
    for text in TURNS:
        assert crisis_embedding.embed(text) is not None, crisis_embedding.unavailable_reason()
    load_and_ten = time.perf_counter() - start
    after = process.memory_info().rss
    cpu = time.process_time()
    for _ in range(4):
        for text in TURNS:
            crisis_embedding.embed(text)
    per_turn = (time.process_time() - cpu) / (4 * len(TURNS))
    return {"added_mb": (after - before) / 2**20, "model_mb": (after - imported) / 2**20, "rss_mb": after / 2**20, "load_and_ten_s": load_and_ten,
            "cpu_ms_per_turn": per_turn * 1000, "peak_mb": process.memory_info().rss / 2**20}


def main(argv: list[str]) -> int:
    if "--one" in argv:
        print(json.dumps(_one(argv[argv.index("--one") + 1])))
        return 0
    print(f"{'setting':32} {'added RSS MB':>12} {'model MB':>8} {'RSS MB':>8} {'load+10 s':>9} {'CPU ms/turn':>11}")
    for name in SETTINGS:
        out = subprocess.run([sys.executable, "-m", "tests.therapy.measure_sentence_model", "--one", name],
                             capture_output=True, text=True, check=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"{name:32} {r['added_mb']:12.1f} {r['model_mb']:8.1f} {r['rss_mb']:8.1f} {r['load_and_ten_s']:9.2f} {r['cpu_ms_per_turn']:11.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
