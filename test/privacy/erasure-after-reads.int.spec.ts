import { expectWritten, startTestServer, type TestServer } from '../api/server-harness';
import { applicationBody } from '../api/world';

/**
 * Over the real server: a contact person read many times (so that the server keeps the decrypted values) reads as
 * erased in the very next answer after the erasure, for every privileged reader, in the item and in the list.
 */
describe('erasure after reads', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.cleanup());

  it('answers the contact as erased at once, though it was read before', async () => {
    const id = expectWritten(await t.as('office').post('/v1/partners/applications', applicationBody('Leseverein')), 201).id;
    let subjectId = '';
    for (let i = 0; i < 3; i++) {
      for (const role of ['office', 'auditor', 'admin'] as const) {
        const read = await t.as(role).get(`/v1/partners/${id}`);
        expect(read.body.contact).toEqual({ subjectId: expect.any(String), name: 'Kontakt Leseverein', email: 'kontakt@example.org', phone: '+49 351 0000' });
        subjectId = read.body.contact.subjectId as string;
      }
    }
    const listed = await t.as('office').get('/v1/partners?limit=500');
    expect(listed.body.data.find((p: { id: string }) => p.id === id).contact.name).toBe('Kontakt Leseverein');

    expectWritten(await t.as('admin').post(`/v1/subjects/${subjectId}/erasure`, { reason: 'Art. 17 DSGVO' }), 200);

    for (const role of ['office', 'auditor', 'admin'] as const) {
      const read = await t.as(role).get(`/v1/partners/${id}`);
      expect(read.body.contact).toEqual({ subjectId, name: null, email: null, phone: null, erased: true });
    }
    const after = await t.as('office').get('/v1/partners?limit=500');
    expect(after.body.data.find((p: { id: string }) => p.id === id).contact).toEqual({ subjectId, name: null, email: null, phone: null, erased: true });
  });
});
