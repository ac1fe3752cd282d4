#ifndef ANNUAIRE_CLIBFUZZER_H
#define ANNUAIRE_CLIBFUZZER_H

/// Runs libFuzzer's driver with the command line and the target's `LLVMFuzzerTestOneInput`, then exits.
///
/// SwiftPM renames an executable's entry point (`<Module>_main`) and points the linker's `main` at it, so the
/// `main` that `-sanitize=fuzzer` would bring from libFuzzer is never used: each target's `@main` calls this.
_Noreturn void annuaire_run_fuzzer(int argc, char **argv);

#endif
