import GlassBoxCore
print("glassbox-bench: no benchmarks yet")
