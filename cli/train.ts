/**
 * `bvae train <preset>`: trains (or resumes, or loads) a preset's run, with a progress line.
 * Ctrl-C (SIGINT) or SIGTERM checkpoints the current step and exits; running the same command
 * again resumes.
 */
import type { Command } from "./command";
import { intFlag, parseArgs, positiveFlag, positiveIntFlag, profileFlag, stringFlag, untilInterrupted, type ArgSpec, type ParsedArgs } from "./command";
import { initBackend } from "../lib/backend";
import { ARCHITECTURES, type ArchitectureName } from "../lib/models";
import { PRESETS, PRESET_NAMES, PROFILE_SETTINGS, isPresetName, presetConfig, type ConfigOverrides } from "../lib/train";
import { PROFILES } from "../lib/profile";
import { resolveDataSource, runName, runsDir, trainOrLoad } from "../lib/runs";

const usage = `Usage: bvae train <preset> [options]

Trains a preset (or resumes its interrupted run, or loads it if complete) into
runs/<preset>-<profile>-<hash>/ (BVAE_RUNS_DIR overrides runs/). Ctrl-C saves a checkpoint;
the same command resumes.

Options:
  --profile p           smoke | cpu | long | paper (default: PROFILE, else cpu)
  --steps n             number of steps (changes the run's key; a capacity ramp is rescaled)
  --seed s              seed of weights, data order and noise (default 1)
  --arch a              ${ARCHITECTURES.join(" | ")} (dsprites-vae/-beta: chairs, the report's H network;
                        the other dSprites presets: burgess)
  --latents z           number of latents
  --held-out n          images never trained on (default: the preset's; 10,000 for dSprites, 1,000
                        for Chairs/CelebA): lower it for a small image folder (changes the run's key)
  --overrides JSON      any config fields as a JSON object, e.g. '{"architecture":"burgess"}' (the
                        flags above win over it; changes the run's key)
  --stop-after n        stop after n steps in total, leaving a resumable checkpoint
  --checkpoint-every n  steps between checkpoints, at least 1 (default by profile: ${PROFILES.map((p) => `${p} ${PROFILE_SETTINGS[p].checkpointEvery}`).join(", ")})
  --progress-every s    seconds between progress lines when not on a terminal (default 10)
  --dry-run             print the config and run folder, train nothing
  --list                list the presets

Chairs and CelebA are read from BVAE_CHAIRS_ROOT / BVAE_CELEBA_ROOT (else data/); see data/README.md.

Presets:
${PRESET_NAMES.map((n) => `  ${n.padEnd(26)} ${PRESETS[n].description}`).join("\n")}`;

const ARGS: ArgSpec = {
  command: "bvae train",
  values: ["profile", "steps", "seed", "arch", "overrides", "latents", "held-out", "stop-after", "checkpoint-every", "progress-every"],
  booleans: ["dry-run", "list"],
  maxPositionals: 1,
};

/** --overrides: a JSON object of config fields (checked by presetConfig, which names a bad one). */
function overridesFlag(args: ParsedArgs): ConfigOverrides {
  const text = stringFlag(args, "overrides");
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`--overrides: expected a JSON object of config fields, e.g. '{"architecture":"burgess"}' (${err instanceof Error ? err.message : String(err)})`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`--overrides: expected a JSON object of config fields, got ${text}`);
  return parsed as ConfigOverrides;
}

export const trainCommand: Command = {
  name: "train",
  summary: "train a preset (resumes interrupted runs, loads finished ones)",
  usage,
  async run(argv: string[]): Promise<number> {
    const args = parseArgs(argv, ARGS);
    if (args.flags.list) {
      for (const n of PRESET_NAMES) console.log(`${n.padEnd(26)} ${PRESETS[n].description}`);
      return 0;
    }
    const [name] = args.positionals;
    if (name === undefined || !isPresetName(name)) {
      console.error(`bvae train: ${name === undefined ? "missing preset" : `unknown preset "${name}"`}; presets: ${PRESET_NAMES.join(", ")}`);
      return 2;
    }
    const profile = profileFlag(args);
    const arch = stringFlag(args, "arch");
    if (arch !== undefined && !(ARCHITECTURES as readonly string[]).includes(arch)) throw new Error(`--arch: expected one of ${ARCHITECTURES.join(", ")}, got "${arch}"`);
    const steps = positiveIntFlag(args, "steps");
    const seed = intFlag(args, "seed");
    const latents = positiveIntFlag(args, "latents");
    const heldOut = intFlag(args, "held-out");
    // Read before anything is trained: a bad value is refused now, not after hours.
    const checkpointEvery = positiveIntFlag(args, "checkpoint-every") ?? PROFILE_SETTINGS[profile].checkpointEvery;
    const progressEverySeconds = positiveFlag(args, "progress-every");
    const stopAfter = positiveIntFlag(args, "stop-after");
    const config = presetConfig(name, profile, {
      ...overridesFlag(args),
      ...(steps !== undefined ? { steps } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(latents !== undefined ? { numLatents: latents } : {}),
      ...(heldOut !== undefined ? { heldOut } : {}),
      ...(arch !== undefined ? { architecture: arch as ArchitectureName } : {}),
    });
    if (args.flags["dry-run"]) {
      const resolved = resolveDataSource(config); // the run training would use: the official dSprites file in data/ has its own
      console.log(JSON.stringify({ run: runName(resolved), dir: runsDir(), config: resolved }, null, 2));
      return 0;
    }
    await initBackend();
    return untilInterrupted("[bvae]", async (signal) => {
      const run = await trainOrLoad(config, {
        checkpointEvery,
        progressEverySeconds,
        stopAfter,
        signal,
      });
      const last = run.history.rows[run.history.rows.length - 1];
      console.log(`${run.complete ? "complete" : "partial"}: ${run.dir} (step ${run.step} of ${config.steps})`);
      if (last) console.log(`last history row: step ${last.step}, recon ${last.recon.toFixed(2)}, kl ${last.kl.toFixed(2)}, kl per latent [${last.klPerLatent.map((k) => k.toFixed(2)).join(", ")}]`);
      run.model.dispose();
      return 0;
    });
  },
};
