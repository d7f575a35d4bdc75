import { spec } from '../support/decider-spec';
import { partnerDecider } from '../../src/domain/partner/decider';
import {
  applyAsPartnerData,
  partnerApplicationBody,
  type AdmitPartner,
  type AdmitPartnerContext,
  type PartnerCommand,
} from '../../src/domain/partner/commands';
import { isAdmittedOn, type PartnerState } from '../../src/domain/partner/state';
import type { PartnerEvent } from '../../src/domain/partner/events';
import type { ResolutionSummary } from '../../src/domain/resolution/summary';
import { defaultRules } from '../../src/domain/rules/rules-of-procedure';
import { fold } from '../../src/domain/shared/decider';
import { personalData } from '../../src/domain/shared/personal';

const partnerId = '11111111-1111-4111-8111-111111111111';
const otherPartnerId = '22222222-2222-4222-8222-222222222222';
const subjectId = '33333333-3333-4333-8333-333333333333';
const resolutionId = '44444444-4444-4444-8444-444444444444';
const revocationId = '55555555-5555-4555-8555-555555555555';

const metadata = { now: '2025-12-01T10:00:00+01:00', actor: { id: 'office-1', role: 'office' as const } };
type CommandOf<T extends PartnerCommand['type']> = Extract<PartnerCommand, { type: T }>;
type ContextOf<T extends PartnerCommand['type']> = CommandOf<T> extends { context: infer X } ? X : never;
const command = <T extends PartnerCommand['type']>(type: T, data: CommandOf<T>['data'], context?: ContextOf<T>) =>
  ({ type, data, metadata, ...(context !== undefined && { context }) }) as CommandOf<T>;

const application = {
  partnerId,
  organisation: { name: 'Handwerkskammer Dresden', category: 'chamber' as const, city: 'Dresden' },
  contact: { subjectId, name: 'Kontaktperson', email: 'kontakt@example.org' },
  expertise: ['Ausbildung'],
  channel: 'email' as const,
  receivedOn: '2025-10-01',
  messageRef: 'msg-2025-10-01-1',
};

const applied: PartnerEvent = { type: 'PartnerApplied', data: application, occurredAt: '2025-10-01' };
const admittedByBoard: PartnerEvent = {
  type: 'PartnerAdmitted',
  data: { decidedOn: '2025-10-15', by: 'board', resolutionId },
  occurredAt: '2025-10-15',
};
const rejected: PartnerEvent = { type: 'PartnerRejected', data: { decidedOn: '2025-10-15', reason: 'outside Saxony' }, occurredAt: '2025-10-15' };
const withdrawn: PartnerEvent = {
  type: 'ApplicationWithdrawn',
  data: { occurredAt: '2025-10-05T09:00:00+02:00' },
  occurredAt: '2025-10-05T09:00:00+02:00',
};
const left: PartnerEvent = { type: 'PartnerLeft', data: { occurredAt: '2025-11-30T23:30:00Z' }, occurredAt: '2025-11-30T23:30:00Z' };
const excluded: PartnerEvent = { type: 'PartnerExcluded', data: { decidedOn: '2025-11-20', resolutionId }, occurredAt: '2025-11-20' };

function resolution(overrides: Partial<ResolutionSummary> = {}): ResolutionSummary {
  return {
    resolutionId,
    kind: 'partner-admission',
    subject: { partnerId },
    outcome: 'adopted',
    decidedOn: '2025-10-15',
    ...overrides,
  };
}

const admit = (data: Partial<AdmitPartner['data']> = {}, context: AdmitPartnerContext = { resolution: resolution(), rules: defaultRules }) =>
  command('AdmitPartner', { resolutionId, decidedOn: '2025-10-15', ...data }, context);
const officeRules = { ...defaultRules, admissionBy: 'office' as const };

const partner = spec(partnerDecider);

describe('ApplyAsPartner', () => {
  it('records the application, dated the day it was received', () => {
    partner.given([]).when(command('ApplyAsPartner', application)).then([applied]);
  });

  it('records no expertise as an empty list and leaves out what was not given', () => {
    const { expertise: _e, messageRef: _m, ...bare } = application;
    partner
      .given([])
      .when(command('ApplyAsPartner', bare))
      .then([{ type: 'PartnerApplied', data: { ...bare, expertise: [] }, occurredAt: '2025-10-01' }]);
  });

  it('is refused when the stream already holds an application', () => {
    partner.given([applied]).when(command('ApplyAsPartner', application)).thenRefuses('application-exists');
    partner.given([applied, admittedByBoard]).when(command('ApplyAsPartner', application)).thenRefuses('application-exists');
  });

  it('takes the API body field for field, refusing unknown fields at every level', () => {
    const { partnerId: _p, ...body } = application;
    const { subjectId: _s, ...contact } = application.contact;
    expect(partnerApplicationBody.safeParse({ ...body, contact }).success).toBe(true);
    expect(partnerApplicationBody.safeParse({ ...body, contact: application.contact }).success).toBe(false);
    expect(applyAsPartnerData.safeParse(application).success).toBe(true);
    expect(applyAsPartnerData.safeParse({ ...application, recordedAt: '2025-10-01T00:00:00Z' }).success).toBe(false);
    expect(applyAsPartnerData.safeParse({ ...application, organisation: { ...application.organisation, vat: 'x' } }).success).toBe(false);
    expect(applyAsPartnerData.safeParse({ ...application, organisation: { ...application.organisation, category: 'club' } }).success).toBe(false);
  });

  it('marks the contact person as personal data', () => {
    const contact = applyAsPartnerData.shape.contact.shape;
    expect(personalData.get(contact.name)).toEqual({ personal: true });
    expect(personalData.get(contact.email)).toEqual({ personal: true });
    expect(personalData.get(contact.subjectId)).toBeUndefined();
  });
});

describe('AdmitPartner', () => {
  it('admits by the board on an adopted partner-admission resolution naming the partner', () => {
    partner.given([applied]).when(admit()).then([admittedByBoard]);
  });

  it('accepts a resolution adopted on the day of admission, not one adopted later', () => {
    partner.given([applied]).when(admit({ decidedOn: '2025-10-15' })).then([admittedByBoard]);
    partner
      .given([applied])
      .when(admit({ decidedOn: '2025-10-14' }))
      .thenRefuses('admission-resolution-required');
  });

  it('is refused without a resolution when the rules leave admission to the board', () => {
    partner
      .given([applied])
      .when(admit({ resolutionId: undefined }, { rules: defaultRules }))
      .thenRefuses('admission-resolution-required');
  });

  it('admits by the office without a resolution when the rules in force delegate admission to it', () => {
    partner
      .given([applied])
      .when(admit({ resolutionId: undefined }, { rules: officeRules }))
      .then([{ type: 'PartnerAdmitted', data: { decidedOn: '2025-10-15', by: 'office' }, occurredAt: '2025-10-15' }]);
  });

  it('under delegation still admits by the board when a resolution is cited, and checks it', () => {
    partner.given([applied]).when(admit({}, { resolution: resolution(), rules: officeRules })).then([admittedByBoard]);
    partner
      .given([applied])
      .when(admit({}, { resolution: resolution({ outcome: 'rejected' }), rules: officeRules }))
      .thenRefuses('admission-resolution-required');
  });

  it.each<[string, Partial<ResolutionSummary>]>([
    ['naming another partner', { subject: { partnerId: otherPartnerId } }],
    ['that was rejected', { outcome: 'rejected' }],
    ['that was revoked', { revokedBy: revocationId }],
    ['not yet decided', { outcome: null, decidedOn: undefined }],
    ['of another kind', { kind: 'partner-exclusion' }],
  ])('is refused with a resolution %s', (_why, overrides) => {
    partner
      .given([applied])
      .when(admit({}, { resolution: resolution(overrides), rules: defaultRules }))
      .thenRefuses('admission-resolution-required');
  });

  it('answers not found when the cited resolution does not exist', () => {
    partner.given([applied]).when(admit({}, { rules: defaultRules })).thenNotFound('resolution');
    partner
      .given([applied])
      .when(admit({}, { resolution: resolution({ resolutionId: revocationId }), rules: defaultRules }))
      .thenNotFound('resolution');
  });

  it('is refused on a day before the application was received', () => {
    partner.given([applied]).when(admit({ decidedOn: '2025-09-30' })).thenRefuses('date-order');
  });

  it('is refused unless the partner has applied and is still undecided, naming the status', () => {
    for (const history of [[applied, admittedByBoard], [applied, rejected], [applied, withdrawn]]) {
      partner.given(history).when(admit()).thenRefuses('invalid-status');
    }
    expect(() => partnerDecider.decide(admit(), fold(partnerDecider, [applied, rejected]))).toThrow(/is rejected/);
  });

  it('answers not found when nobody applied', () => {
    partner.given([]).when(admit()).thenNotFound('partner');
  });
});

describe('RejectPartner', () => {
  const reject = (data: { resolutionId?: string; decidedOn?: string; resolution?: ResolutionSummary } = {}) =>
    command(
      'RejectPartner',
      {
        reason: 'outside Saxony',
        decidedOn: data.decidedOn ?? '2025-10-15',
        ...(data.resolutionId !== undefined && { resolutionId: data.resolutionId }),
      },
      data.resolution ? { resolution: data.resolution } : {},
    );

  it('rejects an application without a resolution', () => {
    partner.given([applied]).when(reject()).then([rejected]);
  });

  it('rejects citing the admission resolution the board rejected', () => {
    partner
      .given([applied])
      .when(reject({ resolutionId, resolution: resolution({ outcome: 'rejected' }) }))
      .then([{ ...rejected, data: { ...rejected.data, resolutionId } }]);
  });

  it('answers not found when the cited resolution does not exist', () => {
    partner.given([applied]).when(reject({ resolutionId })).thenNotFound('resolution');
  });

  it('is refused when the cited resolution adopted the admission', () => {
    partner.given([applied]).when(reject({ resolutionId, resolution: resolution() })).thenRefuses('resolution-adopted');
  });

  it.each<[string, Partial<ResolutionSummary>]>([
    ['of another kind', { kind: 'general', subject: undefined }],
    ['naming another partner', { subject: { partnerId: otherPartnerId } }],
    ['not yet decided', { outcome: null, decidedOn: undefined }],
    ['that was revoked', { revokedBy: revocationId }],
    ['decided only after the rejection', { decidedOn: '2025-10-16' }],
  ])('is refused with a resolution %s', (_why, overrides) => {
    partner
      .given([applied])
      .when(reject({ resolutionId, resolution: resolution({ outcome: 'rejected', ...overrides }) }))
      .thenRefuses('rejection-resolution-required');
  });

  it('is refused unless the application is pending, and before it was received', () => {
    partner.given([applied, admittedByBoard]).when(reject()).thenRefuses('invalid-status');
    partner.given([applied, withdrawn]).when(reject()).thenRefuses('invalid-status');
    partner.given([applied]).when(reject({ decidedOn: '2025-09-30' })).thenRefuses('date-order');
    partner.given([]).when(reject()).thenNotFound('partner');
  });
});

describe('WithdrawApplication', () => {
  it('records the withdrawal at its instant', () => {
    partner.given([applied]).when(command('WithdrawApplication', withdrawn.data)).then([withdrawn]);
    partner
      .given([applied])
      .when(command('WithdrawApplication', { occurredAt: '2025-10-05T09:00:00+02:00', reason: 'merged' }))
      .then([{ ...withdrawn, data: { ...withdrawn.data, reason: 'merged' } }]);
  });

  it('counts the Berlin day of the instant against the day received', () => {
    // 22:30 UTC on 30 September is 00:30 on 1 October in Berlin
    expect(partner.given([applied]).when(command('WithdrawApplication', { occurredAt: '2025-09-30T22:30:00Z' })).events()).toHaveLength(1);
    partner.given([applied]).when(command('WithdrawApplication', { occurredAt: '2025-09-30T21:30:00Z' })).thenRefuses('date-order');
  });

  it('is refused once the application is decided', () => {
    partner.given([applied, admittedByBoard]).when(command('WithdrawApplication', withdrawn.data)).thenRefuses('invalid-status');
    partner.given([applied, withdrawn]).when(command('WithdrawApplication', withdrawn.data)).thenRefuses('invalid-status');
  });
});

describe('RecordPartnerDeparture', () => {
  it('records that an admitted partner left', () => {
    partner.given([applied, admittedByBoard]).when(command('RecordPartnerDeparture', left.data)).then([left]);
  });

  it('is refused for a partner not admitted, or gone already', () => {
    partner.given([applied]).when(command('RecordPartnerDeparture', left.data)).thenRefuses('invalid-status');
    partner.given([applied, admittedByBoard, left]).when(command('RecordPartnerDeparture', left.data)).thenRefuses('invalid-status');
    partner.given([applied, admittedByBoard, excluded]).when(command('RecordPartnerDeparture', left.data)).thenRefuses('invalid-status');
  });

  it('is refused before the day of admission', () => {
    partner
      .given([applied, admittedByBoard])
      .when(command('RecordPartnerDeparture', { occurredAt: '2025-10-14T12:00:00+02:00' }))
      .thenRefuses('date-order');
  });
});

describe('ExcludePartner', () => {
  const exclusion = resolution({ kind: 'partner-exclusion', decidedOn: '2025-11-20' });
  const exclude = (resolutionSummary: ResolutionSummary | undefined, decidedOn = '2025-11-20') =>
    command('ExcludePartner', { resolutionId, decidedOn }, resolutionSummary ? { resolution: resolutionSummary } : {});

  it('excludes an admitted partner on an adopted partner-exclusion resolution naming it', () => {
    partner.given([applied, admittedByBoard]).when(exclude(exclusion)).then([excluded]);
  });

  it.each<[string, Partial<ResolutionSummary>]>([
    ['of kind partner-admission', { kind: 'partner-admission' }],
    ['naming another partner', { subject: { partnerId: otherPartnerId } }],
    ['that was rejected', { outcome: 'rejected' }],
    ['that was revoked', { revokedBy: revocationId }],
    ['adopted only after the exclusion date', { decidedOn: '2025-11-21' }],
  ])('is refused with a resolution %s', (_why, overrides) => {
    partner
      .given([applied, admittedByBoard])
      .when(exclude({ ...exclusion, ...overrides }))
      .thenRefuses('exclusion-resolution-required');
  });

  it('answers not found when the resolution does not exist', () => {
    partner.given([applied, admittedByBoard]).when(exclude(undefined)).thenNotFound('resolution');
  });

  it('is refused unless the partner is admitted, and before the admission', () => {
    partner.given([applied]).when(exclude(exclusion)).thenRefuses('invalid-status');
    partner.given([applied, admittedByBoard, excluded]).when(exclude(exclusion)).thenRefuses('invalid-status');
    partner.given([applied, admittedByBoard]).when(exclude(exclusion, '2025-10-14')).thenRefuses('date-order');
  });
});

describe('PartnerState and isAdmittedOn', () => {
  const state = (events: PartnerEvent[]): PartnerState => fold(partnerDecider, events);

  it('keeps the organisation, category and the date of each transition', () => {
    expect(state([applied, admittedByBoard, left])).toMatchObject({
      status: 'left',
      partnerId,
      organisation: application.organisation,
      category: 'chamber',
      receivedOn: '2025-10-01',
      admittedOn: '2025-10-15',
      admittedBy: 'board',
      admissionResolutionId: resolutionId,
      leftOn: '2025-12-01',
      leftAt: '2025-11-30T23:30:00Z',
    });
    expect(state([applied, withdrawn])).toMatchObject({ status: 'withdrawn', withdrawnOn: '2025-10-05' });
    expect(state([applied, rejected])).toMatchObject({ status: 'rejected', rejectedOn: '2025-10-15', rejectionReason: 'outside Saxony' });
    expect(state([applied, admittedByBoard, excluded])).toMatchObject({ status: 'excluded', excludedOn: '2025-11-20', exclusionResolutionId: resolutionId });
  });

  it('counts a partner admitted from the day of admission on', () => {
    const admitted = state([applied, admittedByBoard]);
    expect(isAdmittedOn(admitted, '2025-10-14')).toBe(false);
    expect(isAdmittedOn(admitted, '2025-10-15')).toBe(true);
    expect(isAdmittedOn(admitted, '2030-01-01')).toBe(true);
  });

  it('no longer counts a partner admitted on the (Berlin) day it left or was excluded', () => {
    // left at 23:30 UTC on 30 November: 1 December in Berlin
    const gone = state([applied, admittedByBoard, left]);
    expect(isAdmittedOn(gone, '2025-11-30')).toBe(true);
    expect(isAdmittedOn(gone, '2025-12-01')).toBe(false);
    const excludedState = state([applied, admittedByBoard, excluded]);
    expect(isAdmittedOn(excludedState, '2025-11-19')).toBe(true);
    expect(isAdmittedOn(excludedState, '2025-11-20')).toBe(false);
    expect(isAdmittedOn(excludedState, '2025-10-14')).toBe(false);
  });

  it('never counts an applicant, a rejected or withdrawn application, or no partner at all', () => {
    for (const events of [[], [applied], [applied, rejected], [applied, withdrawn]]) {
      expect(isAdmittedOn(state(events), '2025-10-20')).toBe(false);
    }
    expect(isAdmittedOn(undefined, '2025-10-20')).toBe(false);
  });
});
