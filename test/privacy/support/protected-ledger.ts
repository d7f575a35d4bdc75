import { join } from 'node:path';
import { Ledger } from '../../../src/ledger/ledger';
import { PersonalDataProtector } from '../../../src/privacy/personal-data-protector';
import { SubjectKeyStore } from '../../../src/privacy/subject-key-store';
import type { StoredEvent } from '../../../src/store/port';
import { tempStore } from '../../support/temp-store';

export interface ProtectedLedger {
  t: Awaited<ReturnType<typeof tempStore>>;
  keyPath: string;
  keys: SubjectKeyStore;
  protector: PersonalDataProtector;
  ledger: Ledger;
  /** every stored event, in log order */
  events(): Promise<StoredEvent[]>;
}

/**
 * Registers beforeEach/afterEach for a ledger on a fresh embedded store that encrypts personal data under keys kept
 * in a subject key store beside it (as openInstallation composes it); the fields are fresh in every test.
 */
export function protectedLedger(prefix: string): ProtectedLedger {
  const fixture = {
    async events() {
      const all: StoredEvent[] = [];
      for await (const e of fixture.t.store.readAll()) all.push(e);
      return all;
    },
  } as ProtectedLedger;
  beforeEach(async () => {
    fixture.t = await tempStore(prefix);
    fixture.keyPath = join(fixture.t.dir, 'subject-keys.db');
    fixture.keys = SubjectKeyStore.open(fixture.keyPath);
    fixture.protector = new PersonalDataProtector(fixture.keys);
    fixture.ledger = new Ledger(fixture.t.store, { protect: (type, data) => fixture.protector.protect(type, data) });
  });
  afterEach(async () => {
    fixture.keys.close();
    await fixture.t.cleanup();
  });
  return fixture;
}
