import { createHandlers } from '../../handlers';
import { SEED_ASSUMPTIONS, seedPressRelease } from '../../seed/press-release';
import type { CliIo } from '../io';
import { locateStore, openOrCreateInstallation, usingInstallation, type StoreOptions } from '../store-access';

/** `ledger seed`: the press release of 12.09.2025 as commands; idempotent, so a second run appends nothing. */
export async function seedCommand(options: StoreOptions, io: CliIo): Promise<void> {
  const location = locateStore(options, io.env);
  // the installation's ledger: the names and the contact person of the seed are recorded encrypted
  const installation = await openOrCreateInstallation(location, { clock: io.now });
  const result = await usingInstallation(installation, ({ ledger }) => seedPressRelease(createHandlers(ledger)));
  const where = location.eventStoreUrl ? installation.store.description : location.ledgerDb;
  if (result.appended === 0) {
    io.stdout.write(`the press release scenario is already in ${where}: nothing appended\n`);
    return;
  }
  io.stdout.write(
    [
      `recorded the press release of 12.09.2025 in ${where}: ${result.appended} of ${result.commands} commands appended events`,
      `  meeting ${result.ids.meetingId}`,
      `  resolution ${result.ids.resolutionId}`,
      `  statement ${result.ids.statementId}`,
      `  partner application ${result.ids.partnerId}`,
      'assumed where the release is silent:',
      ...SEED_ASSUMPTIONS.map((a) => `  - ${a}`),
      '',
    ].join('\n'),
  );
}
