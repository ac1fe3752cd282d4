#include "CLibFuzzer.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

// Both come from the link: the first from libFuzzer (`-sanitize=fuzzer`), the second from the Swift target.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

void annuaire_run_fuzzer(int argc, char **argv) {
    exit(LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput));
}
