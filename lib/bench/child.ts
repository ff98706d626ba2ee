/**
 * The child process of the benchmark (bench.ts forks this file with a task as JSON): one
 * measurement in a fresh process, printed as one JSON line on stdout.
 */
import { runChildTask } from "./bench";

if (require.main === module) {
  runChildTask(process.argv[2] ?? "").then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(`bench child: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
