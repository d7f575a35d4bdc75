import { buildReport, render, reportKinds } from '../../src/cli/reports';
import { createHandlers } from '../../src/handlers';
import { Ledger } from '../../src/ledger/ledger';
import { isEncrypted } from '../../src/privacy/cipher';
import { PersonalDataProtector } from '../../src/privacy/personal-data-protector';
import { SubjectKeyStore } from '../../src/privacy/subject-key-store';
import { createReadModels, type ReadModels } from '../../src/projections/read-models';
import type { RevealPersonalData } from '../../src/projections/views/shared';
import { seedPressRelease, type SeedResult } from '../../src/seed/press-release';
import { MemoryEventStore } from '../support/memory-store';

/**
 * The read side of crypto-shredding: the read models hold personal data as the log does (encrypted), and a view
 * decrypts it only for a reader allowed to see it, with the reveal it is given; an erased subject reads null with
 * `erased: true`, and nothing throws.
 */

const CONTACT = { name: 'Erika Mustermann', email: 'erika.mustermann@example.org' };
const CHAIR = 'Staatssekretär:in (Vorsitz)';

describe('personal data in the read models and views', () => {
  let keys: SubjectKeyStore;
  let protector: PersonalDataProtector;
  let reveal: RevealPersonalData;
  let models: ReadModels;
  let seed: SeedResult;
  let store: MemoryEventStore;

  beforeEach(async () => {
    store = new MemoryEventStore();
    keys = SubjectKeyStore.open(':memory:');
    protector = new PersonalDataProtector(keys);
    reveal = (holder, fields) => protector.reveal(holder, fields);
    const ledger = new Ledger(store, { protect: (type, data) => protector.protect(type, data), clock: () => new Date('2025-09-12T16:00:00+02:00') });
    const h = createHandlers(ledger);
    seed = await seedPressRelease(h);
    await h.board.appointDeputy(seed.ids.memberIds[0]!, { name: 'Dora Deputy', startDate: '2025-09-12' }, { actor: { id: 'office-1', role: 'office' } });
    models = createReadModels();
    for await (const event of store.readAll()) models.apply(event);
  });
  afterEach(() => keys.close());

  const asOf = '2025-09-20';
  const board = (query: Parameters<ReadModels['board']>[0]) => models.board({ asOf, ...query })!;
  const chairOf = (query: Parameters<ReadModels['board']>[0]) => board(query).members.find((m) => m.role === 'chair')!;

  it('keeps personal data encrypted in the read models and their snapshot', () => {
    const snapshot = models.snapshot();
    for (const value of [CONTACT.name, CONTACT.email, CHAIR, 'Dora Deputy']) expect(snapshot.includes(Buffer.from(value, 'utf8'))).toBe(false);
    expect(snapshot.includes(Buffer.from('enc:v1:', 'utf8'))).toBe(true);
  });

  it('decrypts names and the contact for a privileged reader with a reveal, each with its subjectId', () => {
    const chair = chairOf({ withPersonalData: true, reveal });
    expect(chair).toMatchObject({ name: CHAIR, subjectId: expect.any(String) });
    expect(chair.deputies).toEqual([expect.objectContaining({ name: 'Dora Deputy', subjectId: expect.any(String) })]);
    const partner = models.partner(seed.ids.partnerId, { asOf, withPersonalData: true, reveal })!;
    expect(partner.contact).toEqual({ subjectId: expect.any(String), ...CONTACT });
    expect(models.partnerContact(seed.ids.partnerId, { asOf, reveal })).toEqual({ subjectId: expect.any(String), ...CONTACT });
  });

  it('shows nothing personal to a reader without personal data, reveal or not', () => {
    for (const query of [{}, { reveal }, { withPersonalData: false, reveal }]) {
      const text = JSON.stringify([board(query), models.partners({ asOf, ...query }), models.partner(seed.ids.partnerId, { asOf, ...query })]);
      expect(text).not.toMatch(/subjectId|enc:v1:|Mustermann|Staatssekretär|Dora/);
    }
  });

  it('never shows ciphertext as a name: without a reveal an encrypted field reads null', () => {
    const chair = chairOf({ withPersonalData: true });
    expect(chair.name).toBeNull();
    expect(chair.erased).toBeUndefined();
    const partner = models.partner(seed.ids.partnerId, { asOf, withPersonalData: true })!;
    expect(partner.contact).toEqual({ subjectId: expect.any(String), name: null, email: null });
    expect(JSON.stringify(board({ withPersonalData: true }))).not.toContain('enc:v1:');
  });

  it('reads an erased subject as erased, the others as before; the read models need no rebuild', () => {
    const contactSubject = models.partner(seed.ids.partnerId, { asOf, withPersonalData: true, reveal })!.contact!.subjectId!;
    const chairSubject = chairOf({ withPersonalData: true, reveal }).subjectId!;
    keys.erase(contactSubject);
    keys.erase(chairSubject);

    expect(models.partner(seed.ids.partnerId, { asOf, withPersonalData: true, reveal })!.contact).toEqual({
      subjectId: contactSubject,
      name: null,
      email: null,
      phone: null,
      erased: true,
    });
    const chair = chairOf({ withPersonalData: true, reveal });
    expect(chair).toMatchObject({ subjectId: chairSubject, name: null, erased: true });
    expect(chair.deputies[0]).toMatchObject({ name: 'Dora Deputy' });
    expect(board({ withPersonalData: true, reveal }).members.filter((m) => m.erased)).toHaveLength(1);
  });

  it('builds every report in every form after an erasure, the erased fields shown as erased', () => {
    const contactSubject = models.partner(seed.ids.partnerId, { asOf, withPersonalData: true, reveal })!.contact!.subjectId!;
    keys.erase(contactSubject);
    keys.erase(chairOf({ withPersonalData: true, reveal }).subjectId!);
    const now = new Date('2026-01-15T09:00:00+01:00');
    for (const kind of reportKinds) {
      const document = buildReport(kind, { models, withPersonalData: true, reveal, now, ...(kind === 'activity' ? { period: { from: '2025-01-01' } } : { asOf }) });
      for (const format of ['md', 'csv', 'html', 'json'] as const) {
        const text = render(document, format);
        for (const value of [CONTACT.name, CONTACT.email, CHAIR, 'enc:v1:']) expect(text).not.toContain(value);
      }
    }
    const partners = buildReport('partners', { models, withPersonalData: true, reveal, now, asOf });
    expect(partners.sections[0]!.rows[0]).toMatchObject({ contactName: '(gelöscht)', contactEmail: null });
    const boardReport = buildReport('board', { models, withPersonalData: true, reveal, now, asOf });
    const members = boardReport.sections.find((s) => s.key === 'members')!.rows;
    expect(members.find((r) => r.role === 'Vorsitz')).toMatchObject({ name: '(gelöscht)', deputies: ['Dora Deputy'] });
  });

  it('never throws on values it cannot read: damaged ciphertext, another subject’s value, no subjectId', async () => {
    let contact: Record<string, string> | undefined;
    for await (const e of store.readAll()) if (e.type === 'PartnerApplied') contact = (e.data as { contact: Record<string, string> }).contact;
    expect(isEncrypted(contact!.name)).toBe(true);
    const damaged = { ...contact!, name: `${contact!.name!.slice(0, -4)}AAAA` };
    expect(protector.reveal(damaged, ['name', 'email', 'phone'])).toEqual({ subjectId: contact!.subjectId, name: null, email: null, erased: true });
    expect(protector.reveal({ ...contact!, subjectId: '00000000-0000-4000-8000-000000000001' }, ['name'])).toMatchObject({ name: null, erased: true });
    expect(protector.reveal({ name: contact!.name }, ['name'])).toEqual({ name: null, erased: true });
    expect(protector.reveal({ name: 'enc:v1:' }, ['name'])).toEqual({ name: null, erased: true });
  });
});
