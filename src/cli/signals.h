#pragma once
// SIGTERM/SIGINT handling for `serve`: the signals are blocked in every
// thread (call BlockTerminationSignals before starting any) and consumed
// synchronously by the main thread, so no async-signal-safety puzzles.

namespace gatehouse::cli {

// Blocks SIGTERM and SIGINT in the calling thread and in threads it starts later.
void BlockTerminationSignals();

// Waits until SIGTERM or SIGINT is delivered; returns the signal number.
int WaitForTerminationSignal();

}  // namespace gatehouse::cli
