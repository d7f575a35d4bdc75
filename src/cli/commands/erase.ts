import { z } from 'zod';
import { eraseSubjectData } from '../../domain/subject/decider';
import type { Actor } from '../../domain/shared/decider';
import { UsageError } from '../exit-codes';
import type { CliIo } from '../io';
import { locateStore, openExistingInstallationForWriting, usingInstallation, type StoreOptions } from '../store-access';

export interface EraseOptions extends StoreOptions {
  reason: string;
}

/** Who the erasure is recorded as: the staff tool, with the admin's right to erase (API: an admin key). */
export const CLI_ADMIN: Actor = { id: 'ledger-cli', role: 'admin' };

/**
 * `ledger erase <subjectId> --reason TEXT`: what POST /v1/subjects/{id}/erasure does. The subject's key is deleted
 * (from the disk, not only from its table), SubjectErased is recorded with nothing personal in it; every hash and
 * proof stays valid. Exit 2 for a subject the key store does not know and for a second erasure.
 */
export async function eraseCommand(subjectId: string, options: EraseOptions, io: CliIo): Promise<void> {
  if (!z.uuid().safeParse(subjectId).success) throw new UsageError(`expected a subject id (a UUID, as readers with personal data see it), got "${subjectId}"`);
  const body = eraseSubjectData.parse({ reason: options.reason });
  const location = locateStore(options, io.env);
  const installation = await openExistingInstallationForWriting(location, { clock: io.now });
  const result = await usingInstallation(installation, ({ subjects }) => subjects.erase(subjectId, body, { actor: CLI_ADMIN }));
  io.stdout.write(
    `erased the personal data of subject ${subjectId}: its key is deleted; recorded as SubjectErased in ${result.stream} ` +
      `(revision ${result.revision}, position ${result.position ?? '?'})\n` +
      'back-ups of the key store still hold the key: apply this erasure again after a restore (README, "Personal data and erasure")\n',
  );
}
