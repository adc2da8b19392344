/* hail-call-manager.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-call-manager.h"

#include "hail-msrp-sdp.h"
#include "hail-sip-message-builder.h"

enum {
  SIGNAL_INCOMING_CALL,
  SIGNAL_TRANSFER_CALL,
  SIGNAL_CALL_REFUSED,
  N_SIGNALS
};

struct _HailCallManager
{
  GObject parent_instance;

  /* Owned references. */
  HailAccount *account;
  GListStore  *calls;
  GStrv        codecs;

  /* State. */
  gulong       request_id;
  gulong       unknown_dialog_id;
  gboolean     dnd;
};

G_DEFINE_FINAL_TYPE (HailCallManager, hail_call_manager, G_TYPE_OBJECT)

static guint signals[N_SIGNALS];

static void
call_state_cb (HailCall        *call,
               GParamSpec      *pspec,
               HailCallManager *self)
{
  guint position;

  if (hail_call_get_state (call) != HAIL_SIP_SESSION_STATE_TERMINATED)
    return;
  if (g_list_store_find (self->calls, call, &position))
    {
      g_signal_handlers_disconnect_by_func (call, call_state_cb, self);
      g_list_store_remove (self->calls, position);
    }
}

static void transfer_requested_cb (HailCall        *call,
                                   const char      *target,
                                   HailCallManager *self);

static void
add_call (HailCallManager *self,
          HailCall        *call)
{
  g_signal_connect_object (call, "transfer-requested", G_CALLBACK (transfer_requested_cb), self,
                           0);
  g_signal_connect_object (call, "notify::state", G_CALLBACK (call_state_cb), self,
                           G_CONNECT_AFTER);
  g_list_store_append (self->calls, call);
}

/* Transferee (RFC 3515): the new call's progress goes back to the call
 * that asked for it, which ends once the new one is answered. */
static void
transfer_state_cb (HailCall   *transfer,
                   GParamSpec *pspec,
                   HailCall   *original)
{
  HailSipSessionState state = hail_call_get_state (transfer);

  if (state == HAIL_SIP_SESSION_STATE_ESTABLISHED)
    {
      hail_call_report_transfer (original, 200);
      hail_call_hangup_async (original, NULL, NULL, NULL);
    }
  else if (state == HAIL_SIP_SESSION_STATE_TERMINATED)
    {
      guint status = hail_call_get_status (transfer);

      hail_call_report_transfer (original, status >= 300 ? status : 503);
    }
  else
    {
      return;
    }
  g_signal_handlers_disconnect_by_func (transfer, transfer_state_cb, original);
}

static void
transfer_started_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hail_call_start_finish (HAIL_CALL (source), result, &error))
    g_debug ("Transfer call failed: %s", error->message);
}

static void
transfer_requested_cb (HailCall        *call,
                       const char      *target,
                       HailCallManager *self)
{
  g_autoptr(HailCall) transfer = NULL;
  g_autoptr(GError) error = NULL;

  transfer = hail_call_manager_dial (self, target, &error);
  if (transfer == NULL)
    {
      g_debug ("Cannot call the transfer target: %s", error->message);
      hail_call_report_transfer (call, 400);
      return;
    }
  g_signal_connect_object (transfer, "notify::state", G_CALLBACK (transfer_state_cb), call, 0);
  /* Whoever shows calls sets the new one's media before it starts. */
  g_signal_emit (self, signals[SIGNAL_TRANSFER_CALL], 0, transfer, call);
  hail_call_start_async (transfer, NULL, transfer_started_cb, NULL);
}

static void
reply (HailSipServerTransaction *txn,
       guint                     status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tag = hail_sip_stack_new_tag ();

  if (!hail_sip_server_transaction_reply (txn, status, tag, &error))
    g_debug ("Could not answer %u: %s", status, error->message);
}

/* RFC 3261 §20.43: a 488 says why in a Warning, so that the caller's
 * user learns more than "not acceptable". The reasons are ours (codecs,
 * SRTP), hence 399 (miscellaneous) with the text rather than 305, which
 * would name only the codec case. */
static void
reply_not_acceptable (HailSipServerTransaction *txn,
                      HailSipMessage           *request,
                      const char               *reason)
{
  g_autoptr(HailSipMessageBuilder) builder = NULL;
  g_autoptr(HailSipMessage) response = NULL;
  g_autoptr(GString) warning = g_string_new ("399 hail \"");
  g_autoptr(GError) error = NULL;
  g_autofree char *tag = hail_sip_stack_new_tag ();

  /* warn-text is a quoted-string of printable text (§25.1). */
  for (const char *p = reason; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (warning, '\\');
      g_string_append_c (warning, (guchar) *p < 0x20 || *p == 0x7f ? ' ' : *p);
    }
  g_string_append_c (warning, '"');
  builder = hail_sip_message_builder_new_reply (request, 488, NULL, tag);
  hail_sip_message_builder_add_header (builder, "Warning", warning->str);
  response = hail_sip_message_builder_finish (builder, &error);
  if (response == NULL
      || !hail_sip_server_transaction_respond (txn, response, &error))
    g_debug ("Could not answer 488: %s", error->message);
}

static gboolean
incoming_invite (HailCallManager          *self,
                 HailSipServerTransaction *txn,
                 HailSipMessage           *request)
{
  g_autoptr(HailCall) call = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 400;

  if (self->dnd)
    {
      reply (txn, 480);
      return TRUE;
    }
  if (g_list_model_get_n_items (G_LIST_MODEL (self->calls)) >= HAIL_CALL_MANAGER_MAX_CALLS)
    {
      reply (txn, 486);
      return TRUE;
    }
  call = hail_call_new_incoming (self->account, txn, request, (const char * const *) self->codecs,
                                 &status, &error);
  if (call == NULL)
    {
      const HailSipNameAddr *from = hail_sip_message_get_from (request);
      g_autofree char *from_uri = from != NULL ? hail_sip_span_dup (from->uri) : g_strdup ("");

      /* A malformed offer is the peer's fault: a 4xx, never a crash. */
      g_debug ("Refusing an incoming call with %u: %s", status, error->message);
      if (status == 488)
        reply_not_acceptable (txn, request, error->message);
      else if (status != 0)
        reply (txn, status);
      if (status != 0)
        g_signal_emit (self, signals[SIGNAL_CALL_REFUSED], 0, from_uri, error->message, status);
      return TRUE;
    }
  add_call (self, call);
  if (!hail_call_ring (call, &error))
    g_debug ("Could not ring: %s", error->message);
  g_signal_emit (self, signals[SIGNAL_INCOMING_CALL], 0, call);
  return TRUE;
}

static gboolean
request_cb (HailAccount              *account,
            HailSipServerTransaction *txn,
            HailSipMessage           *request,
            HailCallManager          *self)
{
  const HailSipNameAddr *to = hail_sip_message_get_to (request);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->calls));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HailCall) call = g_list_model_get_item (G_LIST_MODEL (self->calls), i);

      if (hail_call_handle_request (call, txn, request))
        return TRUE;
    }
  if (txn == NULL)
    return FALSE;
  if (to == NULL || !hail_sip_span_present (to->tag))
    {
      if (hail_sip_message_is_method (request, "INVITE"))
        {
          HailSipSpan body = hail_sip_message_get_body (request);
          g_autoptr(GBytes) sdp = g_bytes_new (body.ptr, body.len);

          /* A message session (m=message only) is the chat side's. */
          if (hail_msrp_sdp_is_message_session (sdp))
            return FALSE;
          return incoming_invite (self, txn, request);
        }
      return FALSE;
    }
  return FALSE;
}

/* Runs after every other handler (message sessions have dialogs too). */
static gboolean
unknown_dialog_cb (HailAccount              *account,
                   HailSipServerTransaction *txn,
                   HailSipMessage           *request,
                   HailCallManager          *self)
{
  const HailSipNameAddr *to = hail_sip_message_get_to (request);
  const char *dialog_methods[] = { "INVITE", "BYE", "UPDATE", "INFO", "REFER", "PRACK" };

  if (txn == NULL || to == NULL || !hail_sip_span_present (to->tag))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (dialog_methods); i++)
    if (hail_sip_message_is_method (request, dialog_methods[i]))
      {
        /* RFC 3261 §12.2.2: a request for a dialog we do not have. */
        reply (txn, 481);
        return TRUE;
      }
  return FALSE;
}

static void
hail_call_manager_dispose (GObject *object)
{
  HailCallManager *self = HAIL_CALL_MANAGER (object);

  g_clear_signal_handler (&self->request_id, self->account);
  g_clear_signal_handler (&self->unknown_dialog_id, self->account);
  if (self->calls != NULL)
    g_list_store_remove_all (self->calls);

  G_OBJECT_CLASS (hail_call_manager_parent_class)->dispose (object);
}

static void
hail_call_manager_finalize (GObject *object)
{
  HailCallManager *self = HAIL_CALL_MANAGER (object);

  g_clear_object (&self->calls);
  g_clear_object (&self->account);
  g_strfreev (self->codecs);

  G_OBJECT_CLASS (hail_call_manager_parent_class)->finalize (object);
}

static void
hail_call_manager_class_init (HailCallManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hail_call_manager_dispose;
  object_class->finalize = hail_call_manager_finalize;

  signals[SIGNAL_INCOMING_CALL] =
    g_signal_new ("incoming-call", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, HAIL_TYPE_CALL);
  signals[SIGNAL_TRANSFER_CALL] =
    g_signal_new ("transfer-call", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, HAIL_TYPE_CALL, HAIL_TYPE_CALL);
  signals[SIGNAL_CALL_REFUSED] =
    g_signal_new ("call-refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT);
}

static void
hail_call_manager_init (HailCallManager *self)
{
  self->calls = g_list_store_new (HAIL_TYPE_CALL);
}

HailCallManager *
hail_call_manager_new (HailAccount *account)
{
  HailCallManager *self;

  g_return_val_if_fail (HAIL_IS_ACCOUNT (account), NULL);

  self = g_object_new (HAIL_TYPE_CALL_MANAGER, NULL);
  self->account = g_object_ref (account);
  self->request_id = g_signal_connect (account, "request", G_CALLBACK (request_cb), self);
  self->unknown_dialog_id = g_signal_connect_after (account, "request",
                                                    G_CALLBACK (unknown_dialog_cb), self);
  return self;
}

GListModel *
hail_call_manager_get_calls (HailCallManager *self)
{
  g_return_val_if_fail (HAIL_IS_CALL_MANAGER (self), NULL);
  return G_LIST_MODEL (self->calls);
}

void
hail_call_manager_set_codecs (HailCallManager    *self,
                              const char * const *codecs)
{
  g_return_if_fail (HAIL_IS_CALL_MANAGER (self));

  g_strfreev (self->codecs);
  self->codecs = g_strdupv ((char **) codecs);
}

void
hail_call_manager_set_do_not_disturb (HailCallManager *self,
                                      gboolean         dnd)
{
  g_return_if_fail (HAIL_IS_CALL_MANAGER (self));
  self->dnd = !!dnd;
}

gboolean
hail_call_manager_get_do_not_disturb (HailCallManager *self)
{
  g_return_val_if_fail (HAIL_IS_CALL_MANAGER (self), FALSE);
  return self->dnd;
}

HailCall *
hail_call_manager_dial (HailCallManager  *self,
                        const char       *uri,
                        GError          **error)
{
  HailCall *call;

  g_return_val_if_fail (HAIL_IS_CALL_MANAGER (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  call = hail_call_new_outgoing (self->account, uri, (const char * const *) self->codecs, error);
  if (call != NULL)
    add_call (self, call);
  return call;
}

static void
held_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hail_call_set_held_finish (HAIL_CALL (source), result, &error))
    g_debug ("Could not hold a call: %s", error->message);
}

/* Call waiting: only one call talks; every other established one is
 * put on hold. What was asked counts, not what is answered yet: a hold
 * in flight is not sent twice, and a resume asked for meanwhile follows
 * it (HailCall queues it). */
static void
hold_others (HailCallManager *self,
             HailCall        *call)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->calls));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HailCall) other = g_list_model_get_item (G_LIST_MODEL (self->calls), i);

      if (other != call && !hail_call_get_held_requested (other)
          && hail_call_get_state (other) == HAIL_SIP_SESSION_STATE_ESTABLISHED)
        hail_call_set_held_async (other, TRUE, NULL, held_cb, NULL);
    }
}

gboolean
hail_call_manager_answer (HailCallManager  *self,
                          HailCall         *call,
                          GError          **error)
{
  g_return_val_if_fail (HAIL_IS_CALL_MANAGER (self), FALSE);
  g_return_val_if_fail (HAIL_IS_CALL (call), FALSE);

  hold_others (self, call);
  return hail_call_answer (call, error);
}

gboolean
hail_call_manager_resume (HailCallManager  *self,
                          HailCall         *call,
                          GError          **error)
{
  g_return_val_if_fail (HAIL_IS_CALL_MANAGER (self), FALSE);
  g_return_val_if_fail (HAIL_IS_CALL (call), FALSE);

  if (hail_call_get_state (call) != HAIL_SIP_SESSION_STATE_ESTABLISHED)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           "Only an established call can be resumed");
      return FALSE;
    }
  hold_others (self, call);
  if (hail_call_get_held_requested (call))
    hail_call_set_held_async (call, FALSE, NULL, held_cb, NULL);
  return TRUE;
}

gboolean
hail_call_manager_is_waiting (HailCallManager *self,
                              HailCall        *call)
{
  guint n;

  g_return_val_if_fail (HAIL_IS_CALL_MANAGER (self), FALSE);
  g_return_val_if_fail (HAIL_IS_CALL (call), FALSE);

  if (hail_call_get_outgoing (call)
      || hail_call_get_state (call) >= HAIL_SIP_SESSION_STATE_CONNECTING)
    return FALSE;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->calls));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HailCall) other = g_list_model_get_item (G_LIST_MODEL (self->calls), i);

      if (other != call && hail_call_get_state (other) == HAIL_SIP_SESSION_STATE_ESTABLISHED)
        return TRUE;
    }
  return FALSE;
}
