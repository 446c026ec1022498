#ifndef GLASSBOX_FUZZ_DRIVER_H
#define GLASSBOX_FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry for programs that keep their own main (clang's libFuzzer docs,
/// "Using libFuzzer as a library"). SwiftPM gives every executable a main of its own, so the
/// fuzz targets call this instead of relying on libFuzzer's main.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
