import { Argument, Command, Option } from 'commander';
import { eraseCommand, type EraseOptions } from './commands/erase';
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
  LEDGER_SUBJECT_KEYS  the data subjects' key store (default subject-keys.db beside LEDGER_DB, also with
                   EventStoreDB); --subject-keys overrides it. Losing it loses all personal data: back it up.

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

const ERASE_HELP = `
Every value encrypted with the subject's key (a contact person's name, e-mail and telephone, a board member's or
deputy's name) can no longer be read: reports, exports and the API show it as erased. The SubjectErased event holds
the subject's id and the reason only; every hash chain, the digest and every proof stay valid.
Exit 2 when the key store does not know the subject, or the subject was erased already. After restoring a back-up,
run it again for every subject erased since the back-up was taken: it deletes the key the back-up brought back (and,
where the log still holds the erasure, answers with exit 2 that the subject was erased already).

Example:
  ledger erase 0f8c6d1e-3b7a-5c2d-9e4f-a1b2c3d4e5f6 --reason "Art. 17 DSGVO"`;

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
    .option('--subject-keys <file>', "the data subjects' key store (default: LEDGER_SUBJECT_KEYS, else subject-keys.db beside the ledger)")
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
    .command('erase')
    .description("erase a data subject's personal data for good (crypto-shredding): the key is deleted, the erasure recorded")
    .addArgument(new Argument('<subjectId>', "the subject's id (readers with personal data see it beside a name or contact)"))
    .requiredOption('--reason <text>', 'why, e.g. "Art. 17 DSGVO, Antrag vom 02.02.2026" (recorded; no personal data in it)')
    .addHelpText('after', ERASE_HELP)
    .action(async (subjectId: string, _: unknown, command: Command) => eraseCommand(subjectId, options<EraseOptions>(command), io));

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
