import type { Config } from './config.js';
import type { Database } from './db/engine.js';
import { AuthService } from './modules/auth/auth.service.js';
import { CalendarService } from './modules/calendar/calendar.service.js';
import { CatalogueService } from './modules/catalogue/catalogue.service.js';
import { CatalogueAdmin } from './modules/catalogue/catalogue.admin.js';
import { StaffService } from './modules/staff/staff.service.js';
import { UnitService } from './modules/units/units.service.js';
import { LocalFileStore, type FileStore } from './lib/storage.js';
import { DossierService } from './modules/dossiers/dossier.service.js';
import { DeskService } from './modules/dossiers/desk.service.js';
import { dossierNotifier } from './modules/dossiers/dossier.notify.js';
import { PaymentService } from './modules/payments/payments.service.js';
import { createSandboxGateway } from './modules/payments/gateway.js';
import { ContestRecovery, RECOVERY_RULES, recoveryDeliverable } from './modules/contest/contest.recovery.js';
import { SandboxSms, type NotifyChannels, type SmsProvider } from './modules/notify/notify.service.js';
import { EsmsSms } from './modules/notify/sms-esms.js';
import type { JobLog } from './jobs/runner.js';
import { ResultSigner } from './lib/signing.js';
import { ProcessingService } from './modules/processing/processing.service.js';
import { ResultService } from './modules/results/results.service.js';
import { StatsService } from './modules/stats/stats.service.js';
import { TrackingService } from './modules/tracking/tracking.service.js';
import { RatingService } from './modules/ratings/ratings.service.js';
import { FaqService } from './modules/faq/faq.service.js';
import { SurveyService } from './modules/surveys/surveys.service.js';
import { SurveyResponses } from './modules/surveys/surveys.responses.js';
import { ConferenceService } from './modules/conferences/conferences.service.js';
import { FeedbackService } from './modules/feedback/feedback.service.js';
import { ContestAdmin } from './modules/contest/contest.admin.js';
import { ContestEditor } from './modules/contest/contest.admin-edit.js';
import { ContestBank } from './modules/contest/contest.bank.js';
import { ContestGenerator } from './modules/contest/contest.generator.js';
import { ContestImports } from './modules/contest/contest.import.js';
import { ContestEntries } from './modules/contest/contest.entries.js';
import { ContestLeaderboard } from './modules/contest/contest.leaderboard.js';
import { ContestPlay } from './modules/contest/contest.play.js';
import { ContestCertificates } from './modules/contest/contest.certificates.js';
import { ContestFairness } from './modules/contest/contest.fairness.js';
import { ContestRateLimiter } from './modules/contest/contest.ratelimit.js';
import { LearnService } from './modules/learn/learn.service.js';
import { PrivacyService } from './modules/privacy/privacy.service.js';

export interface Services {
  database: Database;
  privacy: PrivacyService;
  auth: AuthService;
  units: UnitService;
  staff: StaffService;
  calendar: CalendarService;
  catalogue: CatalogueService;
  catalogueAdmin: CatalogueAdmin;
  files: FileStore;
  dossiers: DossierService;
  desk: DeskService;
  payments: PaymentService;
  /** Result documents: signing, storage and public verification. */
  results: ResultService;
  processing: ProcessingService;
  stats: StatsService;
  /** Public lookup by code and second factor, with its per-code failure limits. */
  tracking: TrackingService;
  ratings: RatingService;
  /** FAQ / knowledge base: questions and answers linked to procedures. */
  faq: FaqService;
  /** SIPAS-style satisfaction surveys: drafts, sampling and invitations, close. */
  surveys: SurveyService;
  /** Survey responses by token, and the figures. */
  surveyResponses: SurveyResponses;
  /** Dialogue conferences, their questions and commitments. */
  conferences: ConferenceService;
  /** Feedback and questions (phản ánh, kiến nghị): submission, answers, public list, figures. */
  feedback: FeedbackService;
  /** The contest "Tìm hiểu dịch vụ công trực tuyến": administration (city admin). */
  contestAdmin: ContestAdmin;
  /** The contest: renaming, and changing or deleting a draft round (city admin). */
  contestEditor: ContestEditor;
  /** The contest: registration, entries and the frozen results. */
  contestEntries: ContestEntries;
  /** The contest: per-unit leaderboards and the winners list, from the frozen ranking. */
  contestLeaderboard: ContestLeaderboard;
  /** The contest's participant pages: current contests, unit choices, public results. */
  contestPlay: ContestPlay;
  /** The contest's certificates of participation and their public verification. */
  contestCertificates: ContestCertificates;
  /** The contest's question bank: list, preview, edit, approve, retire (city admin). */
  contestBank: ContestBank;
  /** The contest: question import from xlsx/CSV, validated, then confirmed. */
  contestImports: ContestImports;
  /** The contest: draft questions from catalogue facts. */
  contestGenerator: ContestGenerator;
  /** The contest: review flags, disqualification and its successor rankings. */
  contestFairness: ContestFairness;
  /** The contest: rate-limit windows shared by every instance (in the database). */
  contestRate: ContestRateLimiter;
  /** Learning mode for schools: lessons, schools, classes and practice (apart from the contest). */
  learn: LearnService;
  contestRecovery: ContestRecovery;
  /** The SMS carrier adapter (the sandbox records what it would send). */
  sms: SmsProvider | null;
}

/** `log` receives what the SMS sandbox would have sent (and other service-level notes). */
export function createServices(config: Config, database: Database, log: JobLog | null = null): Services {
  const db = database.db;
  const auth = new AuthService(db, config);
  const units = new UnitService(db);
  const catalogue = new CatalogueService(db);
  const calendar = new CalendarService(db, units, config.pauseConvention);
  const files = new LocalFileStore(config.filesDir);
  // Which channels deliver, and the domain of e-mail Message-IDs: the site's host, so that two
  // deployments (a city's production and its training copy) never give two messages one identity.
  const siteHost = new URL(config.baseUrl).hostname;
  const channels: NotifyChannels = {
    email: config.smtpUrl !== null,
    sms: config.smsProvider !== 'none',
    messageDomain: siteHost,
  };
  const dossiers = new DossierService({
    db,
    calendar,
    files,
    uploadMaxBytes: config.uploadMaxBytes,
    notify: dossierNotifier(config.baseUrl, channels),
  });
  const gateway = createSandboxGateway({
    baseUrl: config.baseUrl,
    merchantCode: config.payment.merchantCode,
    hashSecret: config.payment.hashSecret,
  });
  const results = new ResultService(
    db,
    files,
    ResultSigner.load({ keyFile: config.signingKeyFile, filesDir: config.filesDir, production: config.env === 'production', log }),
    config.baseUrl,
  );
  const tracking = new TrackingService(db);
  const contestAdmin = new ContestAdmin(db);
  const contestEntries = new ContestEntries(db, contestAdmin, config.contestFairness.flags);
  const contestPlay = new ContestPlay(db, contestAdmin, contestEntries);
  return {
    privacy: new PrivacyService(db),
    database,
    auth,
    units,
    staff: new StaffService(db, units),
    calendar,
    catalogue,
    catalogueAdmin: new CatalogueAdmin(db, catalogue, units),
    files,
    dossiers,
    desk: new DeskService(dossiers),
    payments: new PaymentService(dossiers, gateway, config.baseUrl),
    sms: smsProvider(config, log),
    results,
    processing: new ProcessingService(dossiers, results),
    stats: new StatsService(db, calendar),
    tracking,
    ratings: new RatingService(db, tracking, config.baseUrl),
    faq: new FaqService(db),
    surveys: new SurveyService(db, config.baseUrl, channels),
    surveyResponses: new SurveyResponses(db),
    contestAdmin,
    contestEditor: new ContestEditor(db, contestAdmin),
    contestEntries,
    contestLeaderboard: new ContestLeaderboard(db, contestEntries),
    contestPlay,
    contestRecovery: new ContestRecovery(
      db,
      contestAdmin,
      recoveryDeliverable(config) && config.contestFairness.recoverySmsPerDay > 0,
      siteHost,
      {
        ...RECOVERY_RULES,
        perDaySite: config.contestFairness.recoverySmsPerDay,
      },
    ),
    contestCertificates: new ContestCertificates(db, contestEntries, contestPlay),
    contestBank: new ContestBank(db),
    contestImports: new ContestImports(db),
    contestGenerator: new ContestGenerator(db),
    contestFairness: new ContestFairness(db, contestEntries, config.contestFairness.flags),
    contestRate: new ContestRateLimiter(db, config.contestFairness.windowSeconds),
    learn: new LearnService(db),
    conferences: new ConferenceService(db, config.baseUrl, channels),
    feedback: new FeedbackService({
      db,
      calendar,
      files,
      uploadMaxBytes: config.uploadMaxBytes,
      baseUrl: config.baseUrl,
      channels,
    }),
  };
}

function smsProvider(config: Config, log: JobLog | null): SmsProvider | null {
  if (config.smsProvider === 'esms') return new EsmsSms(config.esms!, log);
  return config.smsProvider === 'sandbox' ? new SandboxSms(log) : null;
}
