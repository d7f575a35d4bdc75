import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHandlers } from '../../src/handlers';
import { SubjectHandlers } from '../../src/handlers/subjects';
import { findChainBreak } from '../../src/ledger/hash-chain';
import { isEncrypted } from '../../src/privacy/cipher';
import { SubjectKeyStore } from '../../src/privacy/subject-key-store';
import { seedPressRelease } from '../../src/seed/press-release';
import type { StoredEvent } from '../../src/store/port';
import { protectedLedger, type ProtectedLedger } from './support/protected-ledger';

const office = { actor: { id: 'office-1', role: 'office' as const } };
const admin = { actor: { id: 'admin-1', role: 'admin' as const } };

function filesContain(dir: string, needle: string): string[] {
  const bytes = Buffer.from(needle, 'utf8');
  return readdirSync(dir).filter((name) => readFileSync(join(dir, name)).includes(bytes));
}

describe('crypto-shredding', () => {
  const fixture = protectedLedger('ledger-privacy-');
  let t: ProtectedLedger['t'];
  let keys: ProtectedLedger['keys'];
  let protector: ProtectedLedger['protector'];
  let ledger: ProtectedLedger['ledger'];
  beforeEach(() => ({ t, keys, protector, ledger } = fixture));
  const events = () => fixture.events();

  it('stores personal data only encrypted, and reveals it to readers while the key exists', async () => {
    await seedPressRelease(createHandlers(ledger));
    const applied = (await events()).find((e) => e.type === 'PartnerApplied')!;
    const contact = (applied.data as { contact: Record<string, string> }).contact;
    expect(isEncrypted(contact.name)).toBe(true);
    expect(isEncrypted(contact.email)).toBe(true);
    expect(protector.reveal(contact, ['name', 'email', 'phone'])).toEqual({ subjectId: contact.subjectId, name: 'Erika Mustermann', email: 'erika.mustermann@example.org' });
    const member = (await events()).find((e) => e.type === 'BoardMemberAppointed')!;
    expect(isEncrypted((member.data as { person: { name: string } }).person.name)).toBe(true);
    // nothing personal in the clear anywhere in the store's files
    expect(filesContain(t.dir, 'Erika Mustermann')).toEqual([]);
    expect(filesContain(t.dir, 'erika.mustermann@example.org')).toEqual([]);
    expect(filesContain(t.dir, 'Staatssekretär:in (Vorsitz)')).toEqual([]);
  });

  it('erases a subject for good: the key is gone from the disk, the data reads as erased, every chain still verifies', async () => {
    const canary = `canary-${Date.now()}@example.org`;
    const h = createHandlers(ledger);
    const partner = await h.partners.apply(
      { organisation: { name: 'Kanarienverein', category: 'other' }, contact: { name: 'Canary Person', email: canary }, channel: 'email', receivedOn: '2025-10-01' },
      office,
    );
    const contact = ((await events()).find((e) => e.type === 'PartnerApplied')!.data as { contact: Record<string, string> }).contact;
    const key = keys.get(contact.subjectId!)!;
    expect(key).toBeDefined();
    // before the erasure the key is on the disk (so the check after it can fail)
    expect(readdirSync(t.dir).some((name) => readFileSync(join(t.dir, name)).includes(key))).toBe(true);

    const subjects = new SubjectHandlers(ledger, keys);
    const erased = await subjects.erase(contact.subjectId!, { reason: 'Art. 17 DSGVO' }, admin);
    expect(erased.appended).toBe(true);
    expect(protector.reveal(contact, ['name', 'email', 'phone'])).toEqual({ subjectId: contact.subjectId, name: null, email: null, erased: true });

    keys.close();
    await t.store.close();
    const keyHex = key.toString('hex');
    for (const name of readdirSync(t.dir)) {
      const bytes = readFileSync(join(t.dir, name));
      expect({ name, hasKey: bytes.includes(key) || bytes.toString('hex').includes(keyHex) }).toEqual({ name, hasKey: false });
    }
    expect(filesContain(t.dir, canary)).toEqual([]);
    // reopen: every chain intact, the erasure recorded without personal data
    const { openEmbeddedStore } = await import('../../src/store/embedded/embedded-store');
    const reopened = await openEmbeddedStore({ path: t.path });
    const byStream = new Map<string, StoredEvent[]>();
    for await (const e of reopened.readAll()) byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e]);
    for (const list of byStream.values()) expect(findChainBreak(list)).toBeUndefined();
    expect(byStream.get(`subject-${contact.subjectId}`)!.map((e) => e.data)).toEqual([{ subjectId: contact.subjectId, reason: 'Art. 17 DSGVO', occurredAt: expect.any(String) }]);
    expect(byStream.has(`partner-${partner.id}`)).toBe(true);
    await reopened.close();
    keys = SubjectKeyStore.open(join(t.dir, 'subject-keys.db'));
    expect(keys.get(contact.subjectId!)).toBeUndefined();
    expect(keys.isErased(contact.subjectId!)).toBe(true);
  });

  it('refuses to erase an unknown subject and a second erasure', async () => {
    const subjects = new SubjectHandlers(ledger, keys);
    await expect(subjects.erase('00000000-0000-4000-8000-000000000999', { reason: 'x' }, admin)).rejects.toThrow('not found');
    await seedPressRelease(createHandlers(ledger));
    const contact = ((await events()).find((e) => e.type === 'PartnerApplied')!.data as { contact: { subjectId: string } }).contact;
    await subjects.erase(contact.subjectId, { reason: 'Art. 17 DSGVO' }, admin);
    await expect(subjects.erase(contact.subjectId, { reason: 'again' }, admin)).rejects.toMatchObject({ rule: 'subject-already-erased' });
  });
});
