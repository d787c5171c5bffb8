/**
 * `rollcall roster … | head`: when the reader closes the pipe, the next write fails with EPIPE, which node raises
 * as an unhandled 'error' event (a stack trace and exit 1). A reader that has seen enough is not an error: further
 * output is dropped and the command ends with its own exit code. Any other stream error still surfaces.
 */
export function quietOnClosedPipes(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
      throw err;
    });
  }
}
