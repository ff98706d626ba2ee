#!/usr/bin/env node
/**
 * `bvae`: the command-line entry. Each subcommand lives in its own file under cli/ and is
 * listed in COMMANDS below.
 */
import type { Command } from "./command";
import { dataCommand } from "./data";
import { trainCommand } from "./train";
import { runsCommand } from "./runs";
import { evalCommand } from "./eval";
import { benchCommand } from "./bench";
import { prepareCommand } from "./prepare";
import { reportCommand } from "./report";
import { sweepCommand } from "./sweep";

const COMMANDS: readonly Command[] = [
  // Subcommands register here, one import each (data, train, prepare, runs, eval, bench, report, sweep).
  dataCommand,
  trainCommand,
  prepareCommand,
  runsCommand,
  evalCommand,
  benchCommand,
  reportCommand,
  sweepCommand,
];

function mainHelp(): string {
  const width = Math.max(8, ...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    "bvae: beta-VAE and controlled capacity increase, reproduced in TypeScript",
    "",
    "Usage: bvae <command> [options]      bvae <command> --help for a command's options",
    "",
    "Commands:",
    ...(lines.length ? lines : ["  (none yet)"]),
    "",
    "Environment:",
    "  PROFILE=smoke|cpu|long|paper        how much work presets and notebooks do (default cpu)",
    "  BVAE_BACKEND=tensorflow-gpu|tensorflow|wasm|cpu   force a TensorFlow.js backend",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(mainHelp());
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    console.error(`bvae: unknown command "${name}"\n\n${mainHelp()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(cmd.usage);
    return 0;
  }
  return cmd.run(rest);
}

if (require.main === module || process.argv[1]?.endsWith("bvae.js") || process.argv[1]?.endsWith("bvae")) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      console.error(message.startsWith("bvae ") ? message : `bvae: ${message}`); // "bvae train: ..." names itself
      if (process.env.BVAE_DEBUG && err instanceof Error) console.error(err.stack);
      process.exit(1);
    },
  );
}
