import type { BoardState } from '../../src/domain/board/state';
import type { MeetingCommand, ScheduleMeeting, ScheduleMeetingContext, ScheduleMeetingData } from '../../src/domain/meeting/commands';
import { recordAttendanceData, scheduleMeetingData, sendInvitationData } from '../../src/domain/meeting/commands';
import { meetingDecider } from '../../src/domain/meeting/decider';
import type { MeetingEvent } from '../../src/domain/meeting/events';
import { fold } from '../../src/domain/shared/decider';
import { ADVISORY, CHAIR, D3, D4, DEPUTY_CHAIR, M3, M4, M5, OUTSIDER, deputy, establishedBoard, uid, withMember } from '../support/board-fixture';
import { spec } from '../support/decider-spec';

const metadata = { now: '2025-09-20T12:00:00+02:00', actor: { id: 'office-1', role: 'office' as const } };
const board = establishedBoard();
const MEETING = uid(500);
const ITEM1 = uid(501);
const ITEM2 = uid(502);
const EARLIER = uid(400);

function command<C extends MeetingCommand>(type: C['type'], data: C['data'], context?: object): C {
  return { type, data, metadata, ...(context ? { context } : {}) } as C;
}
const schedule = (data: Partial<ScheduleMeetingData> = {}, context: ScheduleMeetingContext = {}) =>
  command<ScheduleMeeting>(
    'ScheduleMeeting',
    { meetingId: MEETING, title: 'Sitzung des Gremiums', date: '2025-09-12', place: 'Dresden', agenda: [{ id: ITEM1, title: 'Neuausrichtung' }], ...data },
    context,
  );
const invite = (sentOn: string, b: BoardState = board) => command('SendInvitation', { sentOn }, { board: b });
const attend = (present: string[], deputies?: { memberId: string; deputyId: string }[], occurredAt = '2025-09-12T10:00:00+02:00') =>
  command('RecordAttendance', { present, ...(deputies ? { deputies } : {}), occurredAt }, { board });
const close = (occurredAt = '2025-09-12T16:00:00+02:00') => command('CloseMeeting', { occurredAt, minutesRef: 'NS-2025-09' });
const cancel = (occurredAt = '2025-09-10T09:00:00+02:00') => command('CancelMeeting', { occurredAt, reason: 'Verlegt' });

const scheduled: MeetingEvent = {
  type: 'MeetingScheduled',
  data: {
    meetingId: MEETING,
    title: 'Sitzung des Gremiums',
    date: '2025-09-12',
    place: 'Dresden',
    urgent: false,
    agenda: [{ id: ITEM1, order: 1, title: 'Neuausrichtung', public: true }],
  },
  occurredAt: '2025-09-12',
};
const earlierMeeting = (status: 'scheduled' | 'cancelled' = 'scheduled', date = '2025-08-29') =>
  fold(meetingDecider, [
    {
      type: 'MeetingScheduled',
      data: {
        meetingId: EARLIER,
        title: 'Erste Sitzung',
        date,
        place: 'Dresden',
        urgent: false,
        agenda: [
          { id: uid(401), order: 1, title: 'Neuausrichtung', public: true },
          { id: uid(402), order: 2, title: 'Arbeitsgruppen', public: true },
        ],
      },
      occurredAt: date,
    },
    ...(status === 'cancelled' ? [{ type: 'MeetingCancelled' as const, data: { occurredAt: '2025-08-20T09:00:00+02:00' }, occurredAt: '2025-08-20T09:00:00+02:00' }] : []),
  ]);
const closed: MeetingEvent = { type: 'MeetingClosed', data: { occurredAt: '2025-09-12T16:00:00+02:00' }, occurredAt: '2025-09-12T16:00:00+02:00' };
const cancelled: MeetingEvent = { type: 'MeetingCancelled', data: { occurredAt: '2025-09-10T09:00:00+02:00' }, occurredAt: '2025-09-10T09:00:00+02:00' };

const meeting = spec(meetingDecider);

describe('scheduling a meeting', () => {
  it('numbers the agenda from 1; items are public and the meeting not urgent unless said', () => {
    meeting
      .given([])
      .when(schedule({ agenda: [{ id: ITEM1, title: 'Neuausrichtung' }, { id: ITEM2, title: 'Personalien', public: false }] }))
      .then([
        {
          ...scheduled,
          data: {
            ...scheduled.data,
            agenda: [
              { id: ITEM1, order: 1, title: 'Neuausrichtung', public: true },
              { id: ITEM2, order: 2, title: 'Personalien', public: false },
            ],
          },
        },
      ]);
  });

  it('records an urgent meeting', () => {
    expect(meeting.given([]).when(schedule({ urgent: true })).events()[0]!.data).toMatchObject({ urgent: true });
  });

  it('refuses a second scheduling of the same meeting', () => {
    meeting.given([scheduled]).when(schedule()).thenRefuses('meeting-already-scheduled');
  });

  it('refuses two agenda items with one id', () => {
    meeting.given([]).when(schedule({ agenda: [{ id: ITEM1, title: 'A' }, { id: ITEM1, title: 'B' }] })).thenRefuses('duplicate-agenda-item');
  });

  describe('reconvening an earlier meeting', () => {
    const reconvene = (agenda: ScheduleMeetingData['agenda'], reconvened = earlierMeeting()) =>
      schedule({ reconvenes: EARLIER, agenda }, { reconvened });

    it('defers an item that names the earlier one, or else bears the same title', () => {
      const [event] = meeting
        .given([])
        .when(
          reconvene([
            { id: ITEM1, title: 'Neuausrichtung' },
            { id: ITEM2, title: 'Gruppen (vertagt)', deferredFrom: uid(402) },
            { id: uid(503), title: 'Verschiedenes' },
          ]),
        )
        .events();
      expect(event!.data).toMatchObject({
        reconvenes: EARLIER,
        agenda: [
          { id: ITEM1, order: 1, deferredFrom: uid(401) },
          { id: ITEM2, order: 2, deferredFrom: uid(402) },
          { id: uid(503), order: 3 },
        ],
      });
      expect(event!.data).toHaveProperty('agenda.2', { id: uid(503), order: 3, title: 'Verschiedenes', public: true });
    });

    it('refuses a meeting that does not exist', () => {
      meeting.given([]).when(schedule({ reconvenes: EARLIER }, {})).thenNotFound('meeting');
      meeting.given([]).when(schedule({ reconvenes: uid(444) }, { reconvened: earlierMeeting() })).thenNotFound('meeting');
    });

    it('refuses a meeting not dated before this one', () => {
      meeting.given([]).when(reconvene([{ id: ITEM1, title: 'X' }], earlierMeeting('scheduled', '2025-09-12'))).thenRefuses('reconvene-order');
      meeting.given([]).when(reconvene([{ id: ITEM1, title: 'X' }], earlierMeeting('scheduled', '2025-09-20'))).thenRefuses('reconvene-order');
    });

    it('refuses a cancelled meeting, which never sat', () => {
      meeting.given([]).when(reconvene([{ id: ITEM1, title: 'X' }], earlierMeeting('cancelled'))).thenRefuses('reconvened-meeting-cancelled');
    });

    it('refuses a deferred item that is not on the earlier agenda', () => {
      meeting.given([]).when(reconvene([{ id: ITEM1, title: 'X', deferredFrom: uid(499) }])).thenNotFound('agenda item');
    });

    it('refuses a deferred item when no meeting is reconvened', () => {
      meeting.given([]).when(schedule({ agenda: [{ id: ITEM1, title: 'X', deferredFrom: uid(401) }] })).thenRefuses('reconvenes-required');
    });
  });
});

describe('sending the invitation', () => {
  it('is timely 7 days before the meeting day', () => {
    meeting
      .given([scheduled])
      .when(invite('2025-09-05'))
      .then([{ type: 'InvitationSent', data: { sentOn: '2025-09-05', timely: true, periodDays: 7, rulesVersion: 1 }, occurredAt: '2025-09-05' }]);
  });

  it('is recorded as late 6 days before', () => {
    meeting
      .given([scheduled])
      .when(invite('2025-09-06'))
      .then([{ type: 'InvitationSent', data: { sentOn: '2025-09-06', timely: false, periodDays: 7, rulesVersion: 1 }, occurredAt: '2025-09-06' }]);
  });

  it('gives an urgent meeting 3 days', () => {
    const urgent = { ...scheduled, data: { ...scheduled.data, urgent: true } } as MeetingEvent;
    expect(meeting.given([urgent]).when(invite('2025-09-09')).events()[0]!.data).toEqual({ sentOn: '2025-09-09', timely: true, periodDays: 3, rulesVersion: 1 });
    expect(meeting.given([urgent]).when(invite('2025-09-10')).events()[0]!.data).toMatchObject({ timely: false, periodDays: 3 });
  });

  it('uses the rules in force on the day it is sent', () => {
    const changed = establishedBoard({ laterRules: [{ version: 2, rules: { invitationPeriodDays: 10 }, effectiveFrom: '2025-09-01', resolutionId: uid(900) }] });
    expect(meeting.given([scheduled]).when(invite('2025-08-31', changed)).events()[0]!.data).toMatchObject({ timely: true, periodDays: 7, rulesVersion: 1 });
    expect(meeting.given([scheduled]).when(invite('2025-09-01', changed)).events()[0]!.data).toMatchObject({ timely: true, periodDays: 10, rulesVersion: 2 });
    expect(meeting.given([scheduled]).when(invite('2025-09-03', changed)).events()[0]!.data).toMatchObject({ timely: false, periodDays: 10, rulesVersion: 2 });
  });

  it('is sent once', () => {
    const sent: MeetingEvent = { type: 'InvitationSent', data: { sentOn: '2025-09-01', timely: true, periodDays: 7, rulesVersion: 1 }, occurredAt: '2025-09-01' };
    meeting.given([scheduled, sent]).when(invite('2025-09-02')).thenRefuses('invitation-already-sent');
  });

  it('may go out on the meeting day, not after it', () => {
    expect(meeting.given([scheduled]).when(invite('2025-09-12')).events()[0]!.data).toMatchObject({ timely: false });
    meeting.given([scheduled]).when(invite('2025-09-13')).thenRefuses('invitation-after-meeting');
  });

  it('is refused for a meeting cancelled, closed, or never scheduled, and without a board', () => {
    meeting.given([scheduled, cancelled]).when(invite('2025-09-01')).thenRefuses('meeting-cancelled');
    meeting.given([scheduled, closed]).when(invite('2025-09-01')).thenRefuses('meeting-closed');
    meeting.given([]).when(invite('2025-09-01')).thenNotFound('meeting');
    meeting.given([scheduled]).when(invite('2025-09-01', { status: 'none' })).thenNotFound('board');
  });
});

describe('recording attendance', () => {
  it('records members present and deputies standing in for absent members', () => {
    meeting
      .given([scheduled])
      .when(attend([CHAIR, M4, ADVISORY], [{ memberId: M3, deputyId: D3 }]))
      .then([
        {
          type: 'AttendanceRecorded',
          data: { present: [CHAIR, M4, ADVISORY], deputies: [{ memberId: M3, deputyId: D3 }], occurredAt: '2025-09-12T10:00:00+02:00' },
          occurredAt: '2025-09-12T10:00:00+02:00',
        },
      ]);
  });

  it('replaces an earlier record with a later one', () => {
    const first = meeting.given([scheduled]).when(attend([CHAIR])).events();
    const second = meeting.given([scheduled, ...first]).when(attend([CHAIR, M3])).events();
    const state = fold(meetingDecider, [scheduled, ...first, ...second]);
    expect(state.status === 'scheduled' && state.attendance?.present).toEqual([CHAIR, M3]);
  });

  it('refuses anyone who is not a member in office on the meeting day', () => {
    meeting.given([scheduled]).when(attend([CHAIR, OUTSIDER])).thenNotFound('member');
    const departed = command('RecordAttendance', { present: [CHAIR, M5], occurredAt: '2025-09-12T10:00:00+02:00' }, { board: withMember(board, M5, { endDate: '2025-09-11' }) });
    meeting.given([scheduled]).when(departed as MeetingCommand).thenNotFound('member');
    meeting.given([scheduled]).when(attend([CHAIR], [{ memberId: OUTSIDER, deputyId: D3 }])).thenNotFound('member');
  });

  it('refuses a deputy who is not that member’s deputy in office', () => {
    meeting.given([scheduled]).when(attend([CHAIR], [{ memberId: M3, deputyId: D4 }])).thenNotFound('deputy');
    const ended = withMember(board, M3, { deputies: [deputy(D3, M3, { endDate: '2025-08-31' })] });
    meeting.given([scheduled]).when(command('RecordAttendance', { present: [CHAIR], deputies: [{ memberId: M3, deputyId: D3 }], occurredAt: '2025-09-12T10:00:00+02:00' }, { board: ended })).thenNotFound('deputy');
  });

  it('refuses a deputy for a member who is present', () => {
    meeting.given([scheduled]).when(attend([CHAIR, M3], [{ memberId: M3, deputyId: D3 }])).thenRefuses('deputy-for-present-member');
  });

  it('refuses anyone listed twice', () => {
    meeting.given([scheduled]).when(attend([CHAIR, CHAIR])).thenRefuses('duplicate-attendance');
    meeting.given([scheduled]).when(attend([CHAIR], [{ memberId: M3, deputyId: D3 }, { memberId: M3, deputyId: D3 }])).thenRefuses('duplicate-attendance');
  });

  it('is refused for a cancelled meeting, or before the meeting day', () => {
    meeting.given([scheduled, cancelled]).when(attend([CHAIR])).thenRefuses('meeting-cancelled');
    meeting.given([scheduled]).when(attend([CHAIR], undefined, '2025-09-11T23:30:00+02:00')).thenRefuses('attendance-before-meeting');
  });

  it('may be recorded after closure, from the minutes', () => {
    expect(meeting.given([scheduled, closed]).when(attend([CHAIR])).events()).toHaveLength(1);
  });
});

describe('closing and cancelling', () => {
  it('closes a meeting with its minutes', () => {
    meeting
      .given([scheduled])
      .when(close())
      .then([{ type: 'MeetingClosed', data: { occurredAt: '2025-09-12T16:00:00+02:00', minutesRef: 'NS-2025-09' }, occurredAt: '2025-09-12T16:00:00+02:00' }]);
  });

  it('cancels a meeting', () => {
    meeting
      .given([scheduled])
      .when(cancel())
      .then([{ type: 'MeetingCancelled', data: { occurredAt: '2025-09-10T09:00:00+02:00', reason: 'Verlegt' }, occurredAt: '2025-09-10T09:00:00+02:00' }]);
  });

  it('does not close a meeting before its day', () => {
    meeting.given([scheduled]).when(close('2025-09-11T16:00:00+02:00')).thenRefuses('meeting-not-yet-held');
  });

  it('neither closes nor cancels twice, nor one after the other', () => {
    meeting.given([scheduled, closed]).when(close()).thenRefuses('meeting-closed');
    meeting.given([scheduled, closed]).when(cancel()).thenRefuses('meeting-closed');
    meeting.given([scheduled, cancelled]).when(cancel()).thenRefuses('meeting-cancelled');
    meeting.given([scheduled, cancelled]).when(close()).thenRefuses('meeting-cancelled');
  });

  it('refuses a meeting never scheduled', () => {
    meeting.given([]).when(close()).thenNotFound('meeting');
    meeting.given([]).when(cancel()).thenNotFound('meeting');
  });
});

describe('command schemas', () => {
  it('accept the API bodies plus the new ids and refuse unknown fields', () => {
    expect(scheduleMeetingData.safeParse(schedule().data).success).toBe(true);
    expect(scheduleMeetingData.safeParse({ ...schedule().data, recordedAt: '2025-09-01T00:00:00Z' }).success).toBe(false);
    expect(scheduleMeetingData.safeParse({ ...schedule().data, agenda: [{ id: ITEM1, title: 'A', order: 1 }] }).success).toBe(false);
    expect(sendInvitationData.safeParse({ sentOn: '2025-02-30' }).success).toBe(false);
    expect(recordAttendanceData.safeParse({ present: [CHAIR], deputies: [{ memberId: M3, deputyId: D3, extra: 1 }], occurredAt: '2025-09-12T10:00:00+02:00' }).success).toBe(false);
    expect(recordAttendanceData.safeParse({ present: [CHAIR, DEPUTY_CHAIR], occurredAt: '2025-09-12T10:00:00+02:00' }).success).toBe(true);
  });
});
