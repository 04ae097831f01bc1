/**
 * CLI: generate the synthetic province (see src/synthetic). Progress goes to stderr (when it
 * is a terminal, or with --progress); stdout gets one line of JSON summary, nothing else.
 *
 *   tsx scripts/generate-province.ts --out DIR [--seed N] [--communes N]
 *     [--parcels-per-commune N] [--encoding utf8|tcvn3|vni] [--first-code N] [--force]
 */
import { Command, InvalidArgumentError, Option } from 'commander'
import { Presets, SingleBar } from 'cli-progress'
import { DEFAULT_OPTIONS, generateProvince, type SyntheticEncoding } from '../src/synthetic/index.js'

function integer(value: string): number {
  const number = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number)) throw new InvalidArgumentError('Not a non-negative integer.')
  return number
}

const program = new Command()
  .name('generate-province')
  .description('Generate a deterministic synthetic Gia Lai cadastral dataset with planted discrepancies.')
  .requiredOption('--out <dir>', 'output directory (created; must be empty unless --force)')
  .option('--seed <n>', 'random seed', integer, DEFAULT_OPTIONS.seed)
  .option('--communes <n>', 'number of communes', integer, DEFAULT_OPTIONS.communes)
  .option('--parcels-per-commune <n>', 'mean parcels per commune (±15%)', integer, DEFAULT_OPTIONS.parcelsPerCommune)
  .addOption(new Option('--encoding <name>', 'DBF text encoding').choices(['utf8', 'tcvn3', 'vni']).default(DEFAULT_OPTIONS.encoding))
  .option('--first-code <n>', 'code of the first commune (5 digits)', integer, DEFAULT_OPTIONS.firstCode)
  .option('--force', 'replace the outputs of a previous run in --out', false)
  .option('--progress', 'show progress on stderr even when it is not a terminal', false)
  .parse()

const flags = program.opts<{
  out: string
  seed: number
  communes: number
  parcelsPerCommune: number
  encoding: SyntheticEncoding
  firstCode: number
  force: boolean
  progress: boolean
}>()

const showProgress = flags.progress || process.stderr.isTTY === true
const bar = new SingleBar(
  {
    stream: process.stderr,
    format: 'communes {bar} {value}/{total} | {parcels} parcels | {duration_formatted}',
    noTTYOutput: !process.stderr.isTTY,
    notTTYSchedule: 5000,
    hideCursor: true,
  },
  Presets.shades_classic,
)

const started = performance.now()
try {
  if (showProgress) bar.start(flags.communes, 0, { parcels: 0 })
  const summary = await generateProvince(
    { seed: flags.seed, communes: flags.communes, parcelsPerCommune: flags.parcelsPerCommune, encoding: flags.encoding, firstCode: flags.firstCode },
    flags.out,
    {
      onProgress: (event) => showProgress && bar.update(event.communesDone, { parcels: event.parcelsDone }),
      overwrite: flags.force,
    },
  )
  if (showProgress) bar.stop()
  const seconds = Math.round((performance.now() - started) / 100) / 10
  process.stdout.write(JSON.stringify({ ...summary, seconds }) + '\n')
} catch (error) {
  if (showProgress) bar.stop()
  process.stderr.write(`generate-province: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
}
