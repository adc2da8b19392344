/* hail-chat-texts.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailChat: the session path for texts (RFC 4975). Texts too long for
 * one UDP datagram go over a message session reused while it lives, or as
 * a MESSAGE when the peer takes none; incoming message sessions are
 * decided on here.
 */
#include "config.h"

#include "hail-chat-private.h"

#include "hail-sip-charset.h"
#include "hail-sip-error.h"
#include "hail-sip-transport-types.h"

#include <string.h>

#define signals _hail_chat_signals

/* Session mode (RFC 4975): texts too long for one UDP datagram. */

/* Whether a MESSAGE carrying @op would pass RFC 3261 §18.1.1's 1300
 * bytes; the overhead is the pager's own estimate of its headers. */
gboolean
_hail_chat_needs_session (const char *to,
                          gsize       body_len)
{
  return body_len + HAIL_CHAT_PAGER_OVERHEAD + 2 * strlen (to) > HAIL_SIP_UDP_MAX_REQUEST_SIZE;
}

/* Whether @error says the peer takes no message session, so that the
 * text may go as a MESSAGE instead: refused with 415, 488 or 606 (or a
 * peer that knows no INVITE), answered without a usable m=message, an
 * MSRP connection that never came up or broke, or an MSRP relay (RFC 4976)
 * that refused our credentials. */
static gboolean
session_refused (const GError *error)
{
  if (error->domain == HAIL_SIP_STATUS_ERROR)
    return error->code == 415 || error->code == 488 || error->code == 606
           || error->code == 405 || error->code == 501;
  if (error->domain == HAIL_SIP_ERROR)
    return error->code == HAIL_SIP_ERROR_UNSUPPORTED || error->code == HAIL_SIP_ERROR_TRANSPORT
           || error->code == HAIL_SIP_ERROR_TIMEOUT || error->code == HAIL_SIP_ERROR_AUTH_REJECTED;
  if (error->domain == G_IO_ERROR)
    return error->code != G_IO_ERROR_CANCELLED;
  return FALSE;
}

static void
mode_recorded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hail_store_set_message_mode_finish (HAIL_STORE (source), result, &error))
    g_debug ("Could not record how a message went: %s", error->message);
}

/* The peer took no session: the text goes as a MESSAGE, over TCP or TLS
 * when it is too long for UDP (the pager's own rule), and the history
 * says so. */
static void
fall_back_to_pager (GTask  *task,
                    GError *why)
{
  HailChat *self = g_task_get_source_object (task);
  SendOp *op = g_task_get_task_data (task);

  g_debug ("No message session with %s (%s): sending as a MESSAGE", op->to, why->message);
  g_clear_error (&op->refused);
  op->refused = why;
  op->mode = HAIL_STORE_MESSAGE_MODE_PAGER;
  if (self->store != NULL && op->id != 0)
    hail_store_set_message_mode_async (self->store, op->id, HAIL_STORE_MESSAGE_MODE_PAGER, NULL,
                                       mode_recorded_cb, NULL);
  _hail_chat_send_by_pager (task);
}

static void
session_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendOp *op = g_task_get_task_data (task);
  g_autofree char *reason = NULL;
  HailStoreMessageState state = HAIL_STORE_MESSAGE_STATE_SENT;
  guint report = 200;

  if (!hail_chat_session_send_finish (HAIL_CHAT_SESSION (source), result, &op->error))
    {
      if (g_error_matches (op->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&op->error));
          return;
        }
      if (session_refused (op->error))
        {
          fall_back_to_pager (g_steal_pointer (&task), g_steal_pointer (&op->error));
          return;
        }
      state = HAIL_STORE_MESSAGE_STATE_FAILED;
      reason = _hail_chat_describe (op->error, 0, &report);
    }
  else
    {
      reason = g_strdup ("OK");
    }
  op->status = report;
  _hail_chat_finish_send (g_steal_pointer (&task), state, report, reason);
}

static void
session_send (HailChatSession *session,
              GTask           *task)
{
  SendOp *op = g_task_get_task_data (task);

  hail_chat_session_send_async (session, HAIL_SIP_PAGER_TEXT_TYPE, op->body,
                                g_task_get_cancellable (task), session_sent_cb, task);
}

static void session_closed_cb (HailChatSession *session,
                               const GError    *reason,
                               HailChat        *self);

static void
session_opened_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HailChat) self = user_data;
  HailChatSession *session = HAIL_CHAT_SESSION (source);
  g_autoptr(GPtrArray) tasks = NULL;
  g_autofree char *remote = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = hail_chat_session_open_finish (session, result, &error);
  if (self->waiting == NULL)
    return;   /* Disposed: the tasks were failed already. */
  g_hash_table_steal_extended (self->waiting, hail_chat_session_get_remote (session),
                               (gpointer *) &remote, (gpointer *) &tasks);
  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (ok)
        session_send (session, task);
      else if (session_refused (error))
        fall_back_to_pager (task, g_error_copy (error));
      else
        {
          SendOp *op = g_task_get_task_data (task);
          g_autofree char *reason = NULL;
          guint report = 0;

          reason = _hail_chat_describe (error, 0, &report);
          op->status = report;
          op->error = g_error_copy (error);
          _hail_chat_finish_send (task, HAIL_STORE_MESSAGE_STATE_FAILED, report, reason);
        }
    }
  if (tasks != NULL)
    g_ptr_array_set_free_func (tasks, NULL);
}

/* Sends over the session with the peer, opening one (INVITE) unless one
 * lives; texts typed while it opens wait for it, in order. */
void
_hail_chat_send_by_session (GTask *task)
{
  HailChat *self = g_task_get_source_object (task);
  SendOp *op = g_task_get_task_data (task);
  HailChatSession *session = g_hash_table_lookup (self->text_sessions, op->to);
  g_autoptr(HailChatSession) opened = NULL;
  GPtrArray *tasks;
  GError *error = NULL;

  if (session != NULL && hail_chat_session_get_state (session) == HAIL_CHAT_SESSION_STATE_OPEN)
    {
      session_send (session, task);
      return;
    }
  tasks = g_hash_table_lookup (self->waiting, op->to);
  if (tasks != NULL)
    {
      g_ptr_array_add (tasks, task);
      return;
    }
  opened = hail_chat_session_new_outgoing (self->account, op->to, NULL, &error);
  if (opened == NULL)
    {
      fall_back_to_pager (task, error);
      return;
    }
  hail_chat_session_set_max_size (opened, HAIL_CHAT_MAX_SESSION_TEXT);
  hail_chat_session_set_idle_timeout (opened, self->session_idle_s);
  _hail_chat_add_session (self, opened);
  tasks = g_ptr_array_new ();
  g_ptr_array_add (tasks, task);
  g_hash_table_insert (self->waiting, g_strdup (op->to), tasks);
  hail_chat_session_open_async (opened, self->cancellable, session_opened_cb,
                                g_object_ref (self));
}

/* Incoming message sessions. */

/* An offer a "session-offer" handler took, waiting for its decision. */
typedef struct {
  HailChat      *self;        /* Borrowed: the chat owns the list. */
  HailChatOffer *offer;
  guint          timeout_id;
} Pending;

void
_hail_chat_pending_free (gpointer data)
{
  Pending *pending = data;

  g_clear_handle_id (&pending->timeout_id, g_source_remove);
  g_object_unref (pending->offer);
  g_free (pending);
}

static Pending *
find_pending (HailChat        *self,
              HailChatSession *session)
{
  for (guint i = 0; self->offers != NULL && i < self->offers->len; i++)
    {
      Pending *pending = g_ptr_array_index (self->offers, i);

      if (_hail_chat_offer_get_session (pending->offer) == session)
        return pending;
    }
  return NULL;
}

static void
session_closed_cb (HailChatSession *session,
                   const GError    *reason,
                   HailChat        *self)
{
  const char *remote = hail_chat_session_get_remote (session);
  Pending *pending = find_pending (self, session);

  if (reason != NULL)
    g_debug ("Message session with %s ended: %s", remote, reason->message);
  /* A peer that gave up (CANCEL) withdraws its offer. */
  if (pending != NULL)
    {
      _hail_chat_offer_set_decided (pending->offer);
      g_ptr_array_remove (self->offers, pending);
    }
  if (hail_chat_session_get_file (session) != NULL)
    {
      _hail_chat_file_session_closed (self, session, reason);
      if (self->partials != NULL)
        g_hash_table_remove (self->partials, session);
    }
  if (g_hash_table_lookup (self->text_sessions, remote) == session)
    g_hash_table_remove (self->text_sessions, remote);
  g_signal_handlers_disconnect_by_data (session, self);
  /* The emission holds its own reference while we drop ours. */
  g_ptr_array_remove (self->sessions, session);
}

/* A text over a session: as a MESSAGE's would be, converted to valid
 * UTF-8 and unwrapped from CPIM, then stored once and shown. */
static void
session_received_cb (HailChatSession *session,
                     const char      *content_type,
                     GBytes          *content,
                     HailChat        *self)
{
  g_autoptr(HailSipPagerIncoming) in = NULL;
  g_autoptr(HailSipCpim) cpim = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;
  GBytes *body = content;
  gsize len;
  const char *data;

  if (hail_chat_session_get_file (session) != NULL)
    {
      _hail_chat_file_complete (self, session);
      return;
    }
  if (g_ascii_strncasecmp (content_type, "message/cpim", 12) == 0)
    {
      data = g_bytes_get_data (content, &len);
      cpim = hail_sip_cpim_parse (data, len, &error);
      if (cpim == NULL)
        {
          g_debug ("Dropping a CPIM message from %s: %s", hail_chat_session_get_remote (session),
                   error->message);
          return;
        }
      body = cpim->body;
      content_type = cpim->content_type != NULL ? cpim->content_type : "text/plain";
    }
  if (g_ascii_strncasecmp (content_type, "text/plain", 10) != 0)
    {
      g_debug ("Dropping a %s message from %s: only text is shown", content_type,
               hail_chat_session_get_remote (session));
      return;
    }
  in = g_new0 (HailSipPagerIncoming, 1);
  in->kind = HAIL_SIP_PAGER_KIND_TEXT;
  data = g_bytes_get_data (body, &len);
  in->body = hail_sip_charset_to_utf8 (data, len, NULL, &error);
  if (in->body == NULL)
    {
      g_debug ("Dropping a text from %s: %s", hail_chat_session_get_remote (session),
               error->message);
      return;
    }
  type = g_strdup (content_type);
  in->content_type = g_steal_pointer (&type);
  in->from = g_strdup (hail_chat_session_get_remote (session));
  in->to = g_strdup (self->aor);
  /* The store's (Call-ID, CSeq) key: each message of a session once. */
  in->call_id = hail_sip_stack_new_call_id ();
  in->cseq = ++self->session_cseq;
  if (cpim != NULL)
    {
      in->cpim = TRUE;
      in->imdn_message_id = g_strdup (cpim->imdn_message_id);
      in->disposition = cpim->disposition;
      in->datetime = g_strdup (cpim->datetime);
    }
  _hail_chat_take_text (self, g_steal_pointer (&in), HAIL_STORE_MESSAGE_MODE_SESSION);
}

static void
session_receive_failed_cb (HailChatSession *session,
                           const GError    *reason,
                           HailChat        *self)
{
  if (hail_chat_session_get_file (session) != NULL)
    _hail_chat_file_failed (self, session, reason->message, TRUE);
  else
    g_debug ("A text from %s did not arrive whole: %s", hail_chat_session_get_remote (session),
             reason->message);
}

void
_hail_chat_add_session (HailChat        *self,
                        HailChatSession *session)
{
  g_ptr_array_add (self->sessions, g_object_ref (session));
  if (hail_chat_session_get_file (session) == NULL)
    g_hash_table_replace (self->text_sessions, g_strdup (hail_chat_session_get_remote (session)),
                          session);
  g_signal_connect (session, "closed", G_CALLBACK (session_closed_cb), self);
  g_signal_connect (session, "message-received", G_CALLBACK (session_received_cb), self);
  g_signal_connect (session, "receive-failed", G_CALLBACK (session_receive_failed_cb), self);
}

/* Answers an offer once, whoever decided: taken, or refused with 488 for
 * a text (the peer's text then comes as a MESSAGE) and 603 for a file. */
void
_hail_chat_decide_offer (HailChat      *self,
                         HailChatOffer *offer,
                         gboolean       take)
{
  g_autoptr(HailChatOffer) hold = g_object_ref (offer);
  HailChatSession *session = _hail_chat_offer_get_session (offer);
  g_autoptr(GError) error = NULL;
  Pending *pending;

  if (!_hail_chat_offer_set_decided (offer))
    return;
  pending = find_pending (self, session);
  if (pending != NULL)
    g_ptr_array_remove (self->offers, pending);
  if (self->sessions == NULL
      || hail_chat_session_get_state (session) != HAIL_CHAT_SESSION_STATE_NEW)
    return;   /* Disposed, or the peer gave up (CANCEL) meanwhile. */
  if (take && hail_chat_session_get_file (session) != NULL
      && !_hail_chat_file_prepare (self, session, &error))
    {
      g_debug ("Could not take a file: %s", error->message);
      g_clear_error (&error);
      if (!hail_chat_session_reject (session, 500, &error))
        g_debug ("Could not decline: %s", error->message);
      session_closed_cb (session, NULL, self);
      return;
    }
  if (take && hail_chat_session_accept (session, &error))
    {
      if (hail_chat_session_get_file (session) != NULL)
        _hail_chat_file_accepted (self, session);
      return;
    }
  if (take)
    {
      g_debug ("Could not answer a message session: %s", error->message);
      hail_chat_session_close (session);
      return;
    }
  if (!hail_chat_session_reject (session, hail_chat_session_get_file (session) != NULL
                                               ? 603 : 488, &error))
    g_debug ("Could not decline: %s", error->message);
  session_closed_cb (session, NULL, self);
}

/* Nobody decided in time: 480, as for a call nobody picks up. */
static gboolean
offer_timeout_cb (gpointer user_data)
{
  Pending *pending = user_data;
  HailChat *self = pending->self;
  g_autoptr(HailChatSession) session = NULL;
  g_autoptr(GError) error = NULL;

  pending->timeout_id = 0;
  session = g_object_ref (_hail_chat_offer_get_session (pending->offer));
  _hail_chat_offer_set_decided (pending->offer);
  if (hail_chat_session_get_state (session) == HAIL_CHAT_SESSION_STATE_NEW
      && !hail_chat_session_reject (session, 480, &error))
    g_debug ("Could not answer 480: %s", error->message);
  /* Frees @pending. */
  session_closed_cb (session, NULL, self);
  return G_SOURCE_REMOVE;
}

/* A store look-up on the way to a decision: the peer in the contacts, or
 * the part of an earlier transfer. */
typedef struct {
  HailChat        *self;
  HailChatSession *session;
  HailChatOffer   *offer;     /* Contacts: the offer they decide. */
  char            *display;   /* Parts: the offer still to make. */
} Lookup;

static Lookup *
lookup_new (HailChat        *self,
            HailChatSession *session,
            HailChatOffer   *offer,
            const char      *display)
{
  Lookup *lookup = g_new0 (Lookup, 1);

  lookup->self = g_object_ref (self);
  lookup->session = g_object_ref (session);
  lookup->offer = offer != NULL ? g_object_ref (offer) : NULL;
  lookup->display = g_strdup (display);
  return lookup;
}

static void
lookup_free (Lookup *lookup)
{
  g_clear_object (&lookup->offer);
  g_object_unref (lookup->session);
  g_object_unref (lookup->self);
  g_free (lookup->display);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lookup, lookup_free)

static void
contact_found_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Lookup) lookup = user_data;
  g_autoptr(HailStoreContact) contact = NULL;
  g_autoptr(GError) error = NULL;

  contact = hail_store_find_contact_finish (HAIL_STORE (source), result, &error);
  if (contact == NULL && !g_error_matches (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND))
    g_debug ("Could not look the peer up in the contacts: %s", error->message);
  _hail_chat_decide_offer (lookup->self, lookup->offer, contact != NULL);
}

/* The From display name without its quotes and escapes, or NULL. */
static char *
display_name (HailSipMessage *request)
{
  const HailSipNameAddr *from = hail_sip_message_get_from (request);
  g_autofree char *raw = NULL;
  GString *out;
  gsize len;

  if (from == NULL || !hail_sip_span_present (from->display_name))
    return NULL;
  raw = hail_sip_span_dup (from->display_name);
  g_strstrip (raw);
  len = strlen (raw);
  if (len >= 2 && raw[0] == '"' && raw[len - 1] == '"')
    {
      raw[len - 1] = '\0';
      memmove (raw, raw + 1, len - 1);
    }
  out = g_string_new (NULL);
  for (const char *p = raw; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        p++;
      g_string_append_c (out, *p);
    }
  if (out->len == 0 || !g_utf8_validate (out->str, (gssize) out->len, NULL))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* Asks the "session-offer" handlers, or the contacts. */
static void
present_offer (HailChat        *self,
               HailChatSession *session,
               const char      *display)
{
  g_autoptr(HailChatOffer) offer = NULL;
  g_autoptr(GError) error = NULL;
  gboolean asking = FALSE;

  if (self->sessions == NULL
      || hail_chat_session_get_state (session) != HAIL_CHAT_SESSION_STATE_NEW)
    return;   /* Disposed, or the peer gave up (CANCEL) meanwhile. */
  offer = _hail_chat_offer_new (self, session, display);
  g_signal_emit (self, signals[SIGNAL_SESSION_OFFER], 0, offer, &asking);
  if (asking)
    {
      Pending *pending;

      if (hail_chat_offer_get_decided (offer))
        return;   /* The handler answered at once. */
      if (!hail_chat_session_ring (session, &error))
        g_debug ("Could not send 180 for a message session: %s", error->message);
      pending = g_new0 (Pending, 1);
      pending->self = self;
      pending->offer = g_object_ref (offer);
      pending->timeout_id = g_timeout_add_seconds (self->offer_timeout_s, offer_timeout_cb,
                                                   pending);
      g_ptr_array_add (self->offers, pending);
      return;
    }
  if (self->store == NULL)
    {
      _hail_chat_decide_offer (self, offer, FALSE);
      return;
    }
  hail_store_find_contact_async (self->store, hail_chat_session_get_remote (session),
                                 self->cancellable, contact_found_cb,
                                 lookup_new (self, session, offer, NULL));
}

static void
partial_found_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Lookup) lookup = user_data;
  g_autoptr(GListModel) found = NULL;
  g_autoptr(GError) error = NULL;

  found = hail_store_list_messages_finish (HAIL_STORE (source), result, &error);
  if (found == NULL)
    g_debug ("Could not look for a part of the offered file: %s", error->message);
  if (found != NULL && g_list_model_get_n_items (found) > 0 && lookup->self->partials != NULL)
    g_hash_table_replace (lookup->self->partials, lookup->session,
                          g_list_model_get_item (found, 0));
  present_offer (lookup->self, lookup->session, lookup->display);
}

/* RFC 5547 §9: the sender resumes; whether we hold the part it skips is
 * found before anyone is asked, so that the answer can say. */
static void
find_partial (HailChat        *self,
              HailChatSession *session,
              const char      *display)
{
  const HailSdpFileSelector *file = hail_chat_session_get_file (session);
  g_autofree char *name = _hail_chat_safe_file_name (file->name);
  g_autoptr(HailStoreMessage) like = NULL;

  like = g_object_new (HAIL_TYPE_STORE_MESSAGE,
                       "account", self->aor,
                       "remote", hail_chat_session_get_remote (session),
                       "direction", HAIL_STORE_DIRECTION_IN,
                       "body", name,
                       "file-name", name,
                       "file-size", file->size > 0 ? file->size : (gint64) 0,
                       "file-hash", file->hash,
                       NULL);
  hail_store_find_partial_file_async (self->store, like, self->cancellable, partial_found_cb,
                                      lookup_new (self, session, NULL, display));
}

/* An INVITE for a message session: a "session-offer" handler that returns
 * TRUE decides (the INVITE rings meanwhile, up to the offer timeout);
 * otherwise the account's contacts are taken and others refused. */
void
_hail_chat_incoming_session (HailChat                 *self,
                             HailSipServerTransaction *txn,
                             HailSipMessage           *request)
{
  g_autoptr(HailChatSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  const HailSdpFileSelector *file;
  guint status = 400;

  session = hail_chat_session_new_incoming (self->account, txn, request, &status, &error);
  if (session == NULL)
    {
      g_autofree char *tag = hail_sip_stack_new_tag ();

      g_debug ("Refusing a message session with %u: %s", status, error->message);
      g_clear_error (&error);
      if (!hail_sip_server_transaction_reply (txn, status, tag, &error))
        g_debug ("Could not answer %u: %s", status, error->message);
      return;
    }
  file = hail_chat_session_get_file (session);
  if (file != NULL && file->size > 0 && (guint64) file->size > self->max_file_size)
    {
      g_debug ("Refusing a file of %" G_GINT64_FORMAT " bytes (the limit is %" G_GUINT64_FORMAT
               ")", file->size, self->max_file_size);
      if (!hail_chat_session_reject (session, 488, &error))
        g_debug ("Could not decline: %s", error->message);
      return;
    }
  hail_chat_session_set_max_size (session, file != NULL ? self->max_file_size
                                                        : HAIL_CHAT_MAX_SESSION_TEXT);
  hail_chat_session_set_idle_timeout (session, self->session_idle_s);
  /* In the list from now on: a CANCEL or the ACK finds it. */
  _hail_chat_add_session (self, session);
  display = display_name (request);
  if (file != NULL && file->hash != NULL && hail_chat_session_get_resume_from (session) > 0
      && self->store != NULL)
    {
      find_partial (self, session, display);
      return;
    }
  present_offer (self, session, display);
}
