import { Type, type Static, type TSchema } from '@sinclair/typebox';

const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const Webhook = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  url: Type.String(),
  active: Type.Boolean(),
  createdBy: Nullable(Type.Integer()),
  createdAt: DateTime,
});
export type Webhook = Static<typeof Webhook>;

/** Returned by create and rotate only: the one moment the secret is shown. */
export const WebhookWithSecret = Type.Intersect([
  Webhook,
  Type.Object({ secret: Type.String({ description: 'Shown once: store it in the receiver now; it cannot be read again.' }) }),
]);
export type WebhookWithSecret = Static<typeof WebhookWithSecret>;

export const NewWebhook = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' }),
    // Checked further by the service (scheme, credentials, https in production).
    url: Type.String({ minLength: 8, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export type NewWebhook = Static<typeof NewWebhook>;

export const WebhookParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }, { additionalProperties: false });

export const DeliveriesQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) },
  { additionalProperties: false },
);

export const Delivery = Type.Object({
  eventId: Type.String(),
  dossierCode: Nullable(Type.String()),
  attempts: Type.Integer(),
  statusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  deliveredAt: Nullable(DateTime),
  createdAt: DateTime,
});
export type Delivery = Static<typeof Delivery>;
