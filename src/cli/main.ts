// Placeholder entry point; commands are wired in as their modules land.
export async function main(argv: string[]): Promise<number> {
  console.error(`rollcall: unknown command ${argv[0] ?? ''}`);
  return 1;
}
