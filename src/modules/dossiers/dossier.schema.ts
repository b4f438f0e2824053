import { Type, type Static } from '@sinclair/typebox';
import { AgencyCode } from '../units/units.schema.js';
import { ProcedureCode } from '../catalogue/catalogue.schema.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([Type.Null(), t]);

export const DossierCode = Type.String({
  pattern: '^\\d{3}\\.\\d{2}\\.\\d{2}\\.[A-Z]\\d{2}-\\d{6}-\\d{4}$',
  examples: ['000.13.42.H26-261127-0001'],
});

export const AddressInput = Type.Object(
  { ward: Type.String({ maxLength: 20 }), street: Type.String({ maxLength: 200 }) },
  { additionalProperties: false },
);

/** The person the dossier is for. Checked by the service (names, ID, phone) with field-level errors. */
export const ApplicantInput = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 120, description: 'Taken from the account when applying for oneself' })),
    citizenId: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
    address: Type.Optional(Type.Union([Type.Null(), AddressInput])),
  },
  { additionalProperties: false },
);
export type ApplicantInput = Static<typeof ApplicantInput>;

export const Applicant = Type.Object({
  name: Type.String(),
  citizenId: Type.Union([Type.Null(), Type.String()]),
  phone: Type.Union([Type.Null(), Type.String()]),
  email: Type.Union([Type.Null(), Type.String()]),
  address: Type.Union([Type.Null(), Type.Object({ ward: Type.String(), street: Type.String() })]),
});
export type Applicant = Static<typeof Applicant>;

export const OnBehalf = Type.Object(
  { relation: Type.String({ minLength: 1, maxLength: 100, description: "The filer's relation to the applicant" }) },
  { additionalProperties: false },
);

const FormData = Type.Record(Type.String({ maxLength: 41 }), Type.Unknown(), { description: "Answers to the procedure version's form" });

export const DocumentRef = Type.Object(
  {
    item: Type.Integer({ minimum: -1, maximum: 59, description: "Index in the version's documents list; -1 for other papers" }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'A file uploaded with POST /api/v1/files' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

export const NewDossierBody = Type.Object(
  {
    procedure: ProcedureCode,
    unit: AgencyCode,
    applicant: Type.Optional(ApplicantInput),
    onBehalf: Type.Optional(OnBehalf),
    form: Type.Optional(FormData),
    exemption: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 41 })])),
    documents: Type.Optional(Type.Array(DocumentRef, { maxItems: 60 })),
    submit: Type.Optional(Type.Boolean({ description: 'Submit at once (needs declaration); otherwise a draft is saved' })),
    declaration: Type.Optional(Type.Boolean({ description: 'The applicant declares the information true' })),
  },
  { additionalProperties: false },
);
export type NewDossierBody = Static<typeof NewDossierBody>;

export const UpdateDraftBody = Type.Object(
  {
    applicant: Type.Optional(ApplicantInput),
    form: Type.Optional(FormData),
    exemption: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 41 })])),
  },
  { additionalProperties: false },
);
export type UpdateDraftBody = Static<typeof UpdateDraftBody>;

export const SubmitBody = Type.Object({ declaration: Type.Boolean() }, { additionalProperties: false });

export const DossierParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) });

const Named = Type.Object({ vi: Type.String(), en: Type.String() });

export const DocumentView = Type.Object({
  id: Type.Integer(),
  item: Type.Integer(),
  name: Type.Union([Type.Null(), Type.String()]),
  mediaType: Type.Union([Type.Null(), Type.String()]),
  size: Type.Union([Type.Null(), Type.Integer()]),
  paper: Type.Boolean(),
  round: Type.Integer(),
});

export const EventView = Type.Object({
  at: Type.String({ format: 'date-time' }),
  action: Type.String(),
  fromStatus: Type.Union([Type.Null(), Type.Integer()]),
  toStatus: Type.Union([Type.Null(), Type.Integer()]),
  note: Type.Union([Type.Null(), Type.String()]),
  actorRole: Type.Union([Type.Null(), Type.String()]),
});

export const DossierView = Type.Object({
  id: Type.Integer(),
  code: Type.Union([Type.Null(), Type.String()]),
  status: Type.Union([Type.Null(), Type.Integer({ minimum: 1, maximum: 10 })]),
  statusName: Type.Union([Type.Null(), Named]),
  channel: Type.Integer(),
  procedure: Type.Object({ code: Type.String(), name: Named, version: Type.Integer() }),
  unit: Type.Object({ code: Type.String(), name: Named }),
  applicant: Applicant,
  assisted: Type.Union([Type.Null(), Type.Object({ by: Type.String(), relation: Type.Optional(Type.String()) })]),
  form: Type.Record(Type.String(), Type.Unknown()),
  fee: Type.Object({ amount: Type.Union([Type.Null(), Type.Integer()]), paid: Type.Integer(), outstanding: Type.Integer() }),
  submittedAt: Type.Union([Type.Null(), Type.String({ format: 'date-time' })]),
  receivedAt: Type.Union([Type.Null(), Type.String({ format: 'date-time' })]),
  dueAt: Type.Union([Type.Null(), Type.String({ format: 'date-time' })]),
  expectedDueAt: Type.Union([Type.Null(), Type.String({ format: 'date-time' })]),
  revision: Type.Integer(),
  documents: Type.Array(DocumentView),
  events: Type.Array(EventView),
});
export type DossierView = Static<typeof DossierView>;
