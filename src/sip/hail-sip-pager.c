/* hail-sip-pager.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pager model of instant messaging (RFC 3428): each message is one
 * MESSAGE request outside a dialog. Sending goes through
 * HailSipRequestSender (failover, challenges, §18.1.1's move to TCP);
 * receiving answers at once and hands the text on.
 */
#include "config.h"

#include "hail-sip-pager.h"

#include "hail-sip-charset.h"
#include "hail-sip-error.h"
#include "hail-sip-message-builder.h"
#include "hail-sip-request-sender.h"
#include "hail-sip-transport.h"

#include <string.h>

struct _HailSipPager
{
  GObject parent_instance;

  /* Owned references. */
  HailSipStack *stack;
  HailSipAuth  *auth;
  HailSipUri   *aor;
  HailSipUri   *proxy;

  /* State. */
  gint          kind;
  gboolean      allow_stream;
};

G_DEFINE_FINAL_TYPE (HailSipPager, hail_sip_pager, G_TYPE_OBJECT)

typedef struct {
  HailSipUri             *to;
  char                   *call_id;
  char                   *from;
  guint32                 cseq;
  char                   *content_type;
  GBytes                 *body;
  gboolean                cpim;
  char                   *imdn_message_id;
  HailSipCpimDisposition  disposition;
  HailSipTarget          *target;      /* Where the last attempt went. */
  guint                   status;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_pointer (&data->to, hail_sip_uri_unref);
  g_free (data->call_id);
  g_free (data->from);
  g_free (data->content_type);
  g_clear_pointer (&data->body, g_bytes_unref);
  g_free (data->imdn_message_id);
  g_clear_pointer (&data->target, hail_sip_target_free);
  g_free (data);
}

void
hail_sip_pager_incoming_free (HailSipPagerIncoming *self)
{
  if (self == NULL)
    return;
  g_free (self->from);
  g_free (self->to);
  g_free (self->call_id);
  g_free (self->content_type);
  g_free (self->body);
  g_free (self->imdn_message_id);
  g_free (self->datetime);
  g_clear_pointer (&self->composing, hail_sip_iscomposing_free);
  g_clear_pointer (&self->imdn, hail_sip_imdn_free);
  g_free (self);
}

static void send_attempt (GTask *task);

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HailSipRequestSender *sender = HAIL_SIP_REQUEST_SENDER (source);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(HailSipMessage) response = NULL;
  g_autofree char *reason = NULL;
  GError *error = NULL;

  response = hail_sip_request_sender_run_finish (sender, result, &error);
  data->cseq = hail_sip_request_sender_get_cseq (sender);
  data->status = hail_sip_request_sender_get_status (sender);
  if (hail_sip_request_sender_get_target (sender) != NULL)
    {
      g_clear_pointer (&data->target, hail_sip_target_free);
      data->target = hail_sip_target_copy (hail_sip_request_sender_get_target (sender));
    }
  if (response == NULL)
    {
      if (g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE))
        g_prefix_error (&error, "The message is too long for this account's transport: ");
      g_task_return_error (task, error);
      return;
    }
  if (data->status >= 200 && data->status < 300)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (data->status == 415 && data->cpim)
    {
      /* RFC 3428 §8: the peer does not read CPIM; say it plainly, in a new
       * transaction of the same call. */
      g_debug ("The peer refused message/cpim; sending text/plain");
      data->cpim = FALSE;
      data->cseq++;
      send_attempt (g_steal_pointer (&task));
      return;
    }
  reason = hail_sip_span_dup (hail_sip_message_get_reason (response));
  g_task_return_new_error (task, HAIL_SIP_STATUS_ERROR, (gint) data->status, "%s", reason);
}

static void
send_attempt (GTask *task)
{
  HailSipPager *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autofree char *to = g_strdup_printf ("<%s>", hail_sip_uri_to_string (data->to));
  g_autoptr(HailSipRequestSender) sender = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *content_type = data->content_type;
  HailSipRequestSpec spec = { 0 };

  if (data->cpim)
    {
      g_autofree char *cpim_from = g_strdup_printf ("<%s>", hail_sip_uri_to_string (self->aor));

      /* RFC 3862 §3.1: From and To are [Formal-name] <URI>. */
      body = hail_sip_cpim_write (cpim_from, to, data->imdn_message_id, data->disposition,
                                  data->content_type, NULL, data->body);
      content_type = "message/cpim";
    }
  else
    {
      body = g_bytes_ref (data->body);
    }

  spec.method = "MESSAGE";
  spec.request_uri = data->to;
  /* A retry goes where the first one was answered. */
  spec.target = data->target;
  spec.from = data->from;
  spec.to = to;
  spec.call_id = data->call_id;
  spec.cseq = data->cseq;
  spec.content_type = content_type;
  spec.body = body;
  sender = hail_sip_request_sender_new (self->stack, &spec, self->auth);
  /* RFC 3261 §8.1.2: through the outbound proxy when there is one. */
  hail_sip_request_sender_set_next_hop (sender, self->proxy != NULL ? self->proxy : data->to,
                                        self->kind);
  hail_sip_request_sender_set_allow_stream (sender, self->allow_stream);
  hail_sip_request_sender_run_async (sender, g_task_get_cancellable (task), sent_cb, task);
}

static void
hail_sip_pager_dispose (GObject *object)
{
  HailSipPager *self = HAIL_SIP_PAGER (object);

  g_clear_object (&self->stack);
  g_clear_object (&self->auth);

  G_OBJECT_CLASS (hail_sip_pager_parent_class)->dispose (object);
}

static void
hail_sip_pager_finalize (GObject *object)
{
  HailSipPager *self = HAIL_SIP_PAGER (object);

  g_clear_pointer (&self->aor, hail_sip_uri_unref);
  g_clear_pointer (&self->proxy, hail_sip_uri_unref);

  G_OBJECT_CLASS (hail_sip_pager_parent_class)->finalize (object);
}

static void
hail_sip_pager_class_init (HailSipPagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hail_sip_pager_dispose;
  object_class->finalize = hail_sip_pager_finalize;
}

static void
hail_sip_pager_init (HailSipPager *self)
{
  self->kind = -1;
  self->allow_stream = TRUE;
}

HailSipPager *
hail_sip_pager_new (HailSipStack *stack,
                    HailSipAuth  *auth,
                    HailSipUri   *aor,
                    HailSipUri   *proxy)
{
  HailSipPager *self;

  g_return_val_if_fail (HAIL_IS_SIP_STACK (stack), NULL);
  g_return_val_if_fail (auth == NULL || HAIL_IS_SIP_AUTH (auth), NULL);
  g_return_val_if_fail (aor != NULL, NULL);

  self = g_object_new (HAIL_TYPE_SIP_PAGER, NULL);
  self->stack = g_object_ref (stack);
  self->auth = auth != NULL ? g_object_ref (auth) : NULL;
  self->aor = hail_sip_uri_ref (aor);
  self->proxy = proxy != NULL ? hail_sip_uri_ref (proxy) : NULL;
  return self;
}

void
hail_sip_pager_set_transport (HailSipPager *self,
                              gint          kind)
{
  g_return_if_fail (HAIL_IS_SIP_PAGER (self));
  g_return_if_fail (kind >= -1 && kind <= HAIL_SIP_TRANSPORT_KIND_TLS);

  self->kind = kind;
}

void
hail_sip_pager_set_allow_stream (HailSipPager *self,
                                 gboolean      allow)
{
  g_return_if_fail (HAIL_IS_SIP_PAGER (self));

  self->allow_stream = !!allow;
}

void
hail_sip_pager_send_async (HailSipPager               *self,
                           const HailSipPagerOutgoing *message,
                           GCancellable               *cancellable,
                           GAsyncReadyCallback         callback,
                           gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *tag = NULL;
  SendData *data;
  GError *error = NULL;

  g_return_if_fail (HAIL_IS_SIP_PAGER (self));
  g_return_if_fail (message != NULL && message->to != NULL && message->body != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_sip_pager_send_async);
  data = g_new0 (SendData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);
  data->call_id = message->call_id != NULL ? g_strdup (message->call_id)
                                           : hail_sip_stack_new_call_id ();
  data->cseq = message->cseq != 0 ? message->cseq : 1;
  data->content_type = g_strdup (message->content_type != NULL ? message->content_type
                                                               : HAIL_SIP_PAGER_TEXT_TYPE);
  data->body = g_bytes_ref (message->body);
  data->cpim = message->cpim;
  data->imdn_message_id = g_strdup (message->imdn_message_id);
  data->disposition = message->disposition;
  tag = hail_sip_stack_new_tag ();
  data->from = g_strdup_printf ("<%s>;tag=%s", hail_sip_uri_to_string (self->aor), tag);

  data->to = hail_sip_uri_parse (message->to, -1, &error);
  if (data->to == NULL)
    {
      g_prefix_error (&error, "Invalid URI “%s”: ", message->to);
      g_task_return_error (task, error);
      return;
    }
  if (hail_sip_uri_get_host (data->to) == NULL)
    {
      g_task_return_new_error (task, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                               "Invalid URI “%s”: it must be a sip: or sips: URI", message->to);
      return;
    }
  if (g_bytes_get_size (message->body) > HAIL_SIP_PAGER_MAX_BODY)
    {
      g_task_return_new_error (task, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                               "The message is too long for this account's transport: "
                               "%" G_GSIZE_FORMAT " bytes, and a MESSAGE carries at most %d",
                               g_bytes_get_size (message->body), HAIL_SIP_PAGER_MAX_BODY);
      return;
    }
  send_attempt (g_steal_pointer (&task));
}

gboolean
hail_sip_pager_send_finish (HailSipPager  *self,
                            GAsyncResult  *result,
                            guint         *status,
                            char         **call_id,
                            guint32       *cseq,
                            gboolean      *cpim,
                            GError       **error)
{
  SendData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (status != NULL)
    *status = data->status;
  if (call_id != NULL)
    *call_id = g_strdup (data->call_id);
  if (cseq != NULL)
    *cseq = data->cseq;
  if (cpim != NULL)
    *cpim = data->cpim;
  return g_task_propagate_boolean (G_TASK (result), error);
}

static char *
dup_param (const HailSipContentType *ctype,
           const char               *name)
{
  HailSipSpan value;

  if (!hail_sip_span_present (ctype->params)
      || !hail_sip_params_lookup (ctype->params, name, &value) || !hail_sip_span_present (value))
    return NULL;
  return hail_sip_unquote (value, NULL);
}

/* Reads a text/plain part in its charset. */
static gboolean
take_text (HailSipPagerIncoming  *in,
           const char            *content_type,
           const char            *data,
           gsize                  len,
           guint                 *status,
           GError               **error)
{
  HailSipContentType ctype;
  g_autofree char *charset = NULL;

  if (!hail_sip_content_type_parse (&ctype, content_type, strlen (content_type), error))
    {
      *status = 400;
      return FALSE;
    }
  if (!hail_sip_content_type_is (&ctype, "text", "plain"))
    {
      *status = 415;
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                   "Cannot show a message of type “%s”", content_type);
      return FALSE;
    }
  charset = dup_param (&ctype, "charset");
  in->body = hail_sip_charset_to_utf8 (data, len, charset, error);
  if (in->body == NULL)
    {
      *status = 415;
      return FALSE;
    }
  in->kind = HAIL_SIP_PAGER_KIND_TEXT;
  in->content_type = g_strdup (content_type);
  return TRUE;
}

/* The encapsulated part of a message/cpim body (RFC 3862). */
static gboolean
take_cpim (HailSipPagerIncoming  *in,
           const char            *data,
           gsize                  len,
           guint                 *status,
           GError               **error)
{
  g_autoptr(HailSipCpim) cpim = hail_sip_cpim_parse (data, len, error);
  HailSipContentType ctype;
  const char *inner;
  gsize inner_len;

  if (cpim == NULL)
    {
      *status = 400;
      return FALSE;
    }
  in->cpim = TRUE;
  in->imdn_message_id = g_steal_pointer (&cpim->imdn_message_id);
  in->disposition = cpim->disposition;
  in->datetime = g_steal_pointer (&cpim->datetime);
  inner = g_bytes_get_data (cpim->body, &inner_len);
  if (inner == NULL)
    inner = "";
  if (!hail_sip_content_type_parse (&ctype, cpim->content_type, strlen (cpim->content_type),
                                    error))
    {
      *status = 400;
      return FALSE;
    }
  if (hail_sip_content_type_is (&ctype, "message", "imdn+xml"))
    {
      in->imdn = hail_sip_imdn_parse (inner, inner_len, error);
      if (in->imdn == NULL)
        {
          *status = 400;
          return FALSE;
        }
      in->kind = HAIL_SIP_PAGER_KIND_IMDN;
      in->content_type = g_strdup (cpim->content_type);
      return TRUE;
    }
  return take_text (in, cpim->content_type, inner, inner_len, status, error);
}

HailSipPagerIncoming *
hail_sip_pager_parse_request (HailSipMessage  *request,
                              guint           *status,
                              GError         **error)
{
  g_autoptr(HailSipPagerIncoming) in = NULL;
  g_autoptr(HailSipUri) from = NULL;
  g_autoptr(HailSipUri) to = NULL;
  g_autofree char *content_type = NULL;
  HailSipContentType ctype;
  HailSipSpan body;
  guint dummy;

  g_return_val_if_fail (request != NULL, NULL);

  if (status == NULL)
    status = &dummy;
  *status = 200;
  in = g_new0 (HailSipPagerIncoming, 1);
  from = hail_sip_name_addr_get_uri (hail_sip_message_get_from (request));
  to = hail_sip_name_addr_get_uri (hail_sip_message_get_to (request));
  if (from == NULL || to == NULL)
    {
      *status = 400;
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "The MESSAGE has an unreadable From or To URI");
      return NULL;
    }
  in->from = g_strdup (hail_sip_uri_to_string (from));
  in->to = g_strdup (hail_sip_uri_to_string (to));
  in->call_id = hail_sip_span_dup (hail_sip_message_get_call_id (request));
  in->cseq = hail_sip_message_get_cseq (request)->number;
  body = hail_sip_message_get_body (request);
  if (body.ptr == NULL)
    body.ptr = "";

  content_type = hail_sip_message_dup_header (request, "Content-Type");
  /* RFC 3428 §7 expects a type; without one the text is taken as plain,
   * as most clients that omit it mean. */
  if (content_type == NULL)
    return take_text (in, "text/plain", body.ptr, body.len, status, error)
           ? g_steal_pointer (&in) : NULL;
  if (!hail_sip_message_get_content_type (request, &ctype))
    {
      *status = 400;
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "The MESSAGE has an unreadable Content-Type");
      return NULL;
    }
  if (hail_sip_content_type_is (&ctype, "message", "cpim"))
    return take_cpim (in, body.ptr, body.len, status, error) ? g_steal_pointer (&in) : NULL;
  if (hail_sip_content_type_is (&ctype, "application", "im-iscomposing+xml"))
    {
      in->composing = hail_sip_iscomposing_parse (body.ptr, body.len, error);
      if (in->composing == NULL)
        {
          *status = 400;
          return NULL;
        }
      in->kind = HAIL_SIP_PAGER_KIND_COMPOSING;
      in->content_type = g_steal_pointer (&content_type);
      return g_steal_pointer (&in);
    }
  return take_text (in, content_type, body.ptr, body.len, status, error)
         ? g_steal_pointer (&in) : NULL;
}

HailSipPagerIncoming *
hail_sip_pager_receive (HailSipPager              *self,
                        HailSipServerTransaction  *txn,
                        HailSipMessage            *request,
                        GError                   **error)
{
  g_autoptr(HailSipPagerIncoming) in = NULL;
  g_autoptr(HailSipMessageBuilder) builder = NULL;
  g_autoptr(HailSipMessage) response = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GError) reply_error = NULL;
  g_autofree char *tag = hail_sip_stack_new_tag ();
  guint status = 0;

  g_return_val_if_fail (HAIL_IS_SIP_PAGER (self), NULL);
  g_return_val_if_fail (HAIL_IS_SIP_SERVER_TRANSACTION (txn), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  in = hail_sip_pager_parse_request (request, &status, &local);
  /* RFC 3428 §7: a final response at once, without Contact or body. */
  builder = hail_sip_message_builder_new_reply (request, status, NULL, tag);
  if (status == 415)
    hail_sip_message_builder_add_header (builder, "Accept", HAIL_SIP_PAGER_ACCEPT);
  response = hail_sip_message_builder_finish (builder, &reply_error);
  if (response == NULL || !hail_sip_server_transaction_respond (txn, response, &reply_error))
    g_debug ("Could not answer MESSAGE: %s", reply_error->message);
  if (in == NULL)
    {
      g_debug ("Refused a MESSAGE with %u: %s", status, local->message);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return g_steal_pointer (&in);
}
