import type { Kysely } from 'kysely';
import type { DB } from '../db/types.js';
import { redactText } from '../domain/feedback/redact.js';
import { todayInVietnam } from '../modules/units/units.service.js';

// Demo data for `npm start` (DEMO_DATA): one past Hà Đông dialogue with published minutes and
// commitments at each stage (done, in progress, late), and one upcoming with accepted questions.
// Dates are relative to the first start, so the demo always has one of each. Never in test
// templates: only main.ts calls this.

const HA_DONG = '000.00.42.H26';
const PAST_TOPIC = 'Đối thoại về thủ tục hộ tịch, cư trú và thái độ phục vụ tại bộ phận một cửa (dữ liệu mẫu)';
const UPCOMING_TOPIC = 'Đối thoại với doanh nghiệp về đăng ký kinh doanh và hộ kinh doanh (dữ liệu mẫu)';
const DAY = 86_400_000;

const day = (offset: number) => {
  const d = new Date(`${todayInVietnam()}T00:00:00Z`);
  return new Date(d.getTime() + offset * DAY).toISOString().slice(0, 10);
};
const at = (offsetDays: number, hour: number) => new Date(`${day(offsetDays)}T${String(hour).padStart(2, '0')}:00:00+07:00`);

export async function seedDemoConferences(db: Kysely<DB>): Promise<number> {
  const done = await db.selectFrom('conference').select('id').where('topic', 'in', [PAST_TOPIC, UPCOMING_TOPIC]).executeTakeFirst();
  if (done) return 0;
  const unit = await db.selectFrom('unit').select('id').where('code', '=', HA_DONG).executeTakeFirst();
  const account = (identifier: string) =>
    db.selectFrom('account_identifier').select('account_id').where('identifier', '=', identifier).executeTakeFirst();
  const leader = await account('leader.hadong@demo.motcua.vn');
  const specialist = await account('specialist.hadong@demo.motcua.vn');
  if (!unit || !leader || !specialist) return 0;
  const leaders = JSON.stringify([
    { name: 'Trần Thị Lan', title: 'Phó Chủ tịch UBND quận' },
    { name: 'Phạm Quốc Tuấn', title: 'Trưởng Công an quận' },
    { name: 'Đỗ Minh Khoa', title: 'Trưởng phòng Tư pháp' },
  ]);
  return db.transaction().execute(async (trx) => {
    const past = await trx
      .insertInto('conference')
      .values({
        unit_id: unit.id,
        topic: PAST_TOPIC,
        description:
          'Lãnh đạo quận nghe người dân phản ánh về đăng ký khai sinh trực tuyến, xác nhận cư trú và cách cán bộ hướng dẫn người cao tuổi.',
        starts_at: at(-30, 8),
        place: 'Hội trường UBND quận Hà Đông',
        chair: 'Nguyễn Văn Hùng, Chủ tịch UBND quận',
        leaders,
        registration_closes_at: at(-32, 17),
        status: 'minutes_published',
        held_at: at(-30, 11),
        minutes_published_at: at(-27, 9),
        created_by: leader.account_id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const question = async (
      conferenceId: number,
      body: string,
      asker: string,
      answer: string | null,
      supports = 0,
      source: 'advance' | 'room' = 'advance',
    ) =>
      (
        await trx
          .insertInto('conference_question')
          .values({
            conference_id: conferenceId,
            source,
            asker_name: asker,
            body,
            body_public: redactText(body, [asker]),
            moderation: 'accepted',
            moderated_by: specialist.account_id,
            moderated_at: at(-33, 9),
            supports,
            answer,
            answered_by: answer ? specialist.account_id : null,
            answered_at: answer ? at(-29, 9) : null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const q1 = await question(
      past.id,
      'Tôi đăng ký khai sinh cho con qua mạng nhưng phải chờ 5 ngày, lâu hơn quy định. Vì sao chậm như vậy?',
      'Nguyễn Thị Hạnh',
      'Hồ sơ đầy đủ thì việc đăng ký khai sinh được giải quyết ngay trong ngày. Việc chậm là do dữ liệu chưa đồng bộ với Cơ sở dữ liệu quốc gia về dân cư. Quận đã làm việc với đơn vị kỹ thuật để khắc phục.',
      12,
    );
    const q2 = await question(
      past.id,
      'Cán bộ tiếp dân ở bộ phận một cửa của công an cần hướng dẫn người già nhẹ nhàng, kiên nhẫn hơn.',
      'Lê Văn Thịnh',
      'Lãnh đạo Công an quận tiếp thu ý kiến, sẽ nhắc nhở và tập huấn lại cho cán bộ tiếp dân.',
      8,
    );
    const q3 = await question(
      past.id,
      'Xác nhận thông tin về cư trú thì làm ở đâu, mất bao lâu?',
      'Phan Văn Long',
      'Người dân đề nghị tại Công an cấp xã nơi cư trú, hoặc nộp trực tuyến trên Cổng dịch vụ công. Thời hạn giải quyết theo quy định hiện hành; đơn vị sẽ niêm yết cụ thể tại bộ phận một cửa (cần đơn vị xác nhận lại thời hạn).',
      0,
      'room',
    );
    const commitment = async (
      questionId: number,
      what: string,
      responsible: string,
      due: string,
      status: 'open' | 'in_progress' | 'done',
      evidence?: string,
    ) => {
      const m = await trx
        .insertInto('conference_commitment')
        .values({
          conference_id: past.id,
          question_id: questionId,
          what,
          responsible,
          due_date: due,
          status,
          evidence: evidence ?? null,
          done_at: status === 'done' ? at(-5, 10) : null,
          created_by: specialist.account_id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('conference_commitment_event')
        .values({ commitment_id: m.id, actor_id: specialist.account_id, status: 'open', at: at(-29, 10) })
        .execute();
      if (status !== 'open') {
        await trx
          .insertInto('conference_commitment_event')
          .values({ commitment_id: m.id, actor_id: specialist.account_id, status, note: evidence ?? 'Đang thực hiện', at: at(-5, 10) })
          .execute();
      }
    };
    await commitment(
      q1,
      'Khắc phục việc đồng bộ dữ liệu để đăng ký khai sinh trực tuyến được giải quyết trong ngày',
      'Phòng Tư pháp quận',
      day(20),
      'in_progress',
    );
    await commitment(
      q2,
      'Tập huấn kỹ năng tiếp dân, hướng dẫn người cao tuổi cho cán bộ một cửa',
      'Công an quận',
      day(-10),
      'done',
      'Đã tập huấn cho 25 cán bộ tiếp dân.',
    );
    await commitment(
      q3,
      'Niêm yết quy trình và thời hạn xác nhận cư trú tại bộ phận một cửa các phường',
      'Văn phòng UBND quận',
      day(-3),
      'open',
    );

    const upcoming = await trx
      .insertInto('conference')
      .values({
        unit_id: unit.id,
        topic: UPCOMING_TOPIC,
        description: 'Doanh nghiệp và hộ kinh doanh hỏi về đăng ký kinh doanh, giấy phép và thuế.',
        starts_at: at(14, 8),
        place: 'Phòng họp tầng 2, UBND quận Hà Đông',
        chair: 'Trần Thị Lan, Phó Chủ tịch UBND quận',
        leaders,
        registration_closes_at: at(12, 17),
        capacity: 150,
        created_by: leader.account_id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await question(upcoming.id, 'Đăng ký hộ kinh doanh cần những giấy tờ gì và làm ở đâu?', 'Vũ Thị Thu', null, 5);
    await question(
      upcoming.id,
      'Có dùng bản sao sổ hộ khẩu có chứng thực để xác nhận tình trạng hôn nhân khi vay ngân hàng được không?',
      'Hoàng Văn Nam',
      null,
      3,
    );
    return 2;
  });
}
