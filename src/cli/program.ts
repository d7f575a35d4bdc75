import { Argument, Command, Option } from 'commander';
import { exportCommand, verifyCommand, type ExportOptions, type VerifyOptions } from './commands/integrity';
import { replayCommand, type ReplayOptions } from './commands/replay';
import { reportCommand, type ReportOptions } from './commands/report';
import { seedCommand } from './commands/seed';
import { serveCommand, type ServeOptions } from './commands/serve';
import type { CliIo } from './io';
import { parseDate, parseInstant, parsePort } from './options';
import type { StoreOptions } from './store-access';
import { periodReports, reportFormats, reportKinds, type ReportKind } from './reports';

const STORE_HELP = `
The ledger:
  LEDGER_DB        the embedded store's file (default ./data/ledger.db); --db overrides it. Its directory holds
                   every file of the installation (read-model snapshot, signing key).
  EVENTSTORE_URL   EventStoreDB's connection string (esdb://host:2113?tls=false); --eventstore-url overrides it.
                   When set, the log lives there instead of in LEDGER_DB.

Exit codes: 0 success, 1 a check failed (verification), 2 bad usage or input, 3 the store cannot be reached.`;

const REPORT_HELP = `
Reports (German labels and dates):
  board       the board's composition: seats per category, members in office, rules of procedure
  partners    the partner register
  groups      working and project groups with their members
  decisions   the decision register: each resolution's basis (present, quorum, tally, rules applied) and
              when and by whom the decision was recorded
  statements  the patron's statements
  activity    the period report: admissions, groups formed and dissolved, resolutions, statements, meetings,
              and events per month (a chart in the HTML form); default period: the calendar year

--as-of DAY shows the state effective on that day as known now; --known-at INSTANT what the ledger held at that
instant; both combine. Member names and contact persons appear only with --with-personal-data.

Examples:
  ledger report board --as-of 2025-09-12
  ledger report decisions --format html --out beschluesse.html
  ledger report activity --from 2025-01-01 --to 2025-12-31 --format html --out taetigkeitsbericht-2025.html`;

/** The `ledger` command: every subcommand parses its options and calls one function in ./commands. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('ledger')
    .description('Staff tools for the ledger of the Fachkräfteallianz Sachsen')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // errors are written once, as one line, by runCli
      outputError: () => undefined,
    })
    .configureHelp({ showGlobalOptions: true })
    .option('--db <file>', 'the ledger file (default: LEDGER_DB, else ./data/ledger.db)')
    .option('--eventstore-url <url>', 'EventStoreDB connection string (default: EVENTSTORE_URL)')
    .option('--debug', 'print the stack trace of an error')
    .addHelpText('after', STORE_HELP)
    .showSuggestionAfterError(false);

  /** a subcommand's options with the program's (--db, --eventstore-url), which may stand before or after it */
  const options = <T>(command: Command): T => command.optsWithGlobals<T & Record<string, unknown>>();

  program
    .command('serve')
    .description('serve the HTTP API (what npm start runs); creates the ledger file when missing')
    .addOption(new Option('--port <port>', 'the port (default: PORT, else 3000)').argParser(parsePort))
    .action(async (_: unknown, command: Command) => serveCommand(options<ServeOptions>(command), io));

  program
    .command('seed')
    .description('record the press release of 12.09.2025; a second run appends nothing')
    .action(async (_: unknown, command: Command) => seedCommand(options<StoreOptions>(command), io));

  program
    .command('replay')
    .description('rebuild every read model from zero, with a progress bar (plain lines when stderr is not a terminal)')
    .option('--write-snapshot', 'save the rebuilt read models as the snapshot the next `serve` starts from (stop the server first)')
    .action(async (_: unknown, command: Command) => replayCommand(options<ReplayOptions>(command), io));

  program
    .command('report')
    .description('write a report: board, partners, groups, decisions, statements or activity')
    .addArgument(new Argument('<report>', 'which report').choices(reportKinds))
    .addOption(new Option('--as-of <date>', 'the state effective on this day (YYYY-MM-DD)').argParser(parseDate))
    .addOption(new Option('--known-at <instant>', 'as the ledger held it at this instant (e.g. 2025-10-01T12:00:00+02:00)').argParser(parseInstant))
    .addOption(new Option('--from <date>', `first day of the period (${periodReports.join(', ')})`).argParser(parseDate))
    .addOption(new Option('--to <date>', 'last day of the period').argParser(parseDate))
    .addOption(new Option('--format <format>', 'md, csv, html or json (default: from --out, else md)').choices(reportFormats))
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--with-personal-data', 'include member names and contact persons (personal data)')
    .addHelpText('after', REPORT_HELP)
    .action(async (kind: ReportKind, _: unknown, command: Command) => reportCommand(kind, options<ReportOptions>(command), io));

  program
    .command('export')
    .description('write the whole log with its signed digest to one file an auditor can check')
    .requiredOption('--out <file>', 'the export file (JSON Lines)')
    .option('--public-key-out <file>', "also write the ledger's public key (PEM), which `verify --public-key` takes")
    .action(async (_: unknown, command: Command) => exportCommand(options<ExportOptions>(command), io));

  program
    .command('verify')
    .description('recompute every hash chain and the Merkle root; or check an export file against a public key')
    .option('--export <file>', 'check this export file instead of the store')
    .option('--public-key <file>', "the ledger's public key (PEM) the export must be signed with")
    .action(async (_: unknown, command: Command) => verifyCommand(options<VerifyOptions>(command), io));

  return program;
}
