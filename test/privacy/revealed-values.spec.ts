import { encryptValue, newSubjectKey } from '../../src/privacy/cipher';
import { PersonalDataProtector } from '../../src/privacy/personal-data-protector';
import { SubjectKeyStore } from '../../src/privacy/subject-key-store';

/**
 * The protector keeps decrypted values (reads of a partner decrypt its contact on every request), but only as long
 * as the subject's key exists: an erasure makes the data unreadable at the next read, cached or not.
 */

const FIELDS = ['name', 'email'] as const;
const ERIKA = { name: 'Erika Mustermann', email: 'erika@example.org' };

/** A subject's contact as the read models hold it: each field encrypted under the subject's key. */
function contactOf(subjectId: string, key: Buffer, plain: { name: string; email: string } = ERIKA) {
  return { subjectId, name: encryptValue(key, subjectId, plain.name), email: encryptValue(key, subjectId, plain.email) };
}

describe('revealed values', () => {
  let opened: SubjectKeyStore | undefined;
  const open = () => (opened = SubjectKeyStore.open(':memory:'));
  afterEach(() => {
    opened?.close();
    opened = undefined;
  });

  it('reveals the same on a second read, from what it kept', async () => {
    const keys = open();
    const protector = new PersonalDataProtector(keys);
    const subjectId = '3f1c0a4e-0000-4000-8000-000000000001';
    const contact = contactOf(subjectId, await keys.keyFor(subjectId));
    expect(protector.cachedSubjects).toBe(0);
    expect(protector.reveal(contact, FIELDS)).toEqual({ subjectId, ...ERIKA });
    expect(protector.cachedSubjects).toBe(1);
    expect(protector.reveal(contact, FIELDS)).toEqual({ subjectId, ...ERIKA });
    // the holder itself is never changed
    expect(contact.name.startsWith('enc:v1:')).toBe(true);
  });

  it('reads as erased at once after the erasure, though the values were kept, and drops them', async () => {
    const keys = open();
    const protector = new PersonalDataProtector(keys);
    const subjectId = '3f1c0a4e-0000-4000-8000-000000000002';
    const other = '3f1c0a4e-0000-4000-8000-000000000003';
    const contact = contactOf(subjectId, await keys.keyFor(subjectId));
    const otherContact = contactOf(other, await keys.keyFor(other), { name: 'Max Muster', email: 'max@example.org' });
    expect(protector.reveal(contact, FIELDS)).toEqual({ subjectId, ...ERIKA });
    expect(protector.reveal(otherContact, FIELDS).name).toBe('Max Muster');
    expect(protector.cachedSubjects).toBe(2);

    keys.erase(subjectId);
    expect(protector.reveal(contact, FIELDS)).toEqual({ subjectId, name: null, email: null, erased: true });
    expect(protector.cachedSubjects).toBe(1);
    expect(protector.revealEvent('PartnerApplied', { contact })).toEqual({ contact: { subjectId, name: null, email: null, erased: true } });
    // the other subject is untouched
    expect(protector.reveal(otherContact, FIELDS)).toEqual({ subjectId: other, name: 'Max Muster', email: 'max@example.org' });
  });

  it('uses kept values only with the key they were decrypted with', () => {
    const subjectId = '3f1c0a4e-0000-4000-8000-000000000004';
    const held = new Map<string, Buffer>();
    const store = { get: (id: string) => held.get(id) } as unknown as SubjectKeyStore;
    const protector = new PersonalDataProtector(store);
    const key = newSubjectKey();
    held.set(subjectId, key);
    const contact = contactOf(subjectId, key);
    expect(protector.reveal(contact, FIELDS)).toEqual({ subjectId, ...ERIKA });
    // the same key in another buffer: still the subject's key
    held.set(subjectId, Buffer.from(key));
    expect(protector.reveal(contact, FIELDS)).toEqual({ subjectId, ...ERIKA });
    // another key (a key store restored from the wrong backup): what was kept is not shown
    held.set(subjectId, newSubjectKey());
    expect(protector.reveal(contact, FIELDS)).toEqual({ subjectId, name: null, email: null, erased: true });
  });

  it('keeps at most as many subjects as it was given, dropping the least recently read', async () => {
    const keys = open();
    const protector = new PersonalDataProtector(keys, { cachedSubjects: 2 });
    const ids = [1, 2, 3].map((n) => `3f1c0a4e-0000-4000-8000-00000000001${n}`);
    const contacts = await Promise.all(ids.map(async (id) => contactOf(id, await keys.keyFor(id))));
    for (const contact of contacts) expect(protector.reveal(contact, FIELDS)).toEqual({ subjectId: contact.subjectId, ...ERIKA });
    expect(protector.cachedSubjects).toBe(2);
    // the first, dropped, is decrypted again
    expect(protector.reveal(contacts[0]!, FIELDS)).toEqual({ subjectId: ids[0], ...ERIKA });
    expect(protector.cachedSubjects).toBe(2);
  });

  it('keeps nothing for a value that does not decrypt, and forgets a subject on request', async () => {
    const keys = open();
    const protector = new PersonalDataProtector(keys);
    const subjectId = '3f1c0a4e-0000-4000-8000-000000000021';
    const key = await keys.keyFor(subjectId);
    const forged = { subjectId, name: encryptValue(newSubjectKey(), subjectId, 'Mallory'), email: encryptValue(key, subjectId, ERIKA.email) };
    expect(protector.reveal(forged, FIELDS)).toEqual({ subjectId, name: null, email: null, erased: true });
    expect(protector.reveal(contactOf(subjectId, key), FIELDS)).toEqual({ subjectId, ...ERIKA });
    expect(protector.cachedSubjects).toBe(1);
    protector.forget(subjectId);
    expect(protector.cachedSubjects).toBe(0);
  });
});
