/* hail-sip-request-sender.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one path every request that starts something takes (REGISTER,
 * MESSAGE, OPTIONS, the first INVITE): server location, failover between
 * targets, digest challenges and redirects. In-dialog requests follow the
 * route set instead (hail-sip-session-dialog.c).
 */
#include "config.h"

#include "hail-sip-request-sender.h"

#include "hail-sip-error.h"
#include "hail-sip-message-builder.h"
#include "hail-sip-resolver.h"

enum {
  SIGNAL_ATTEMPT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _HailSipRequestSender
{
  GObject parent_instance;

  /* Owned references. */
  HailSipStack             *stack;
  HailSipAuth              *auth;
  HailSipUri               *request_uri;
  HailSipUri               *next_hop;
  HailSipTarget            *target;      /* Of the attempt in flight or last. */
  GPtrArray                *targets;     /* HailSipTarget*: resolved, not tried yet. */
  GPtrArray                *failed;      /* HailSipTarget*: tried, gave up. */
  GPtrArray                *sent;        /* HailSipAuthHeader*: what the request carries. */
  HailSipClientTransaction *txn;
  HailSipMessage           *request;
  HailSipMessage           *last_response; /* A 503 that moved us on. */
  GError                   *last_error;    /* Why the last target was given up. */
  GTask                    *task;
  char                     *method;
  char                     *from;
  char                     *to;
  char                     *call_id;
  GStrv                     headers;
  char                     *content_type;
  GBytes                   *body;

  /* Borrowed. */
  HailSipContactFunc        contact_func;
  gpointer                  contact_data;

  /* State. */
  gint                      kind;
  guint32                   cseq;
  guint                     attempts;    /* Of this target: challenges answered + 1. */
  guint                     redirects;
  guint                     n_tried;     /* Targets, counted at their first attempt. */
  guint                     max_redirects;
  guint                     status;
  gboolean                  allow_stream;
  gboolean                  has_proxy;   /* The next hop is not the Request-URI. */
  gboolean                  stopped;
  gboolean                  provisional_seen;
  gboolean                  streamed;    /* §18.1.1 moved this attempt to TCP. */
};

G_DEFINE_FINAL_TYPE (HailSipRequestSender, hail_sip_request_sender, G_TYPE_OBJECT)

static void attempt (HailSipRequestSender *self);
static void next_target (HailSipRequestSender *self);

static void
complete (HailSipRequestSender *self,
          HailSipMessage       *response,
          GError               *error)
{
  /* Every run ends here once: self->task is set. */
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hail_sip_message_ref (response),
                           (GDestroyNotify) hail_sip_message_unref);
}

static HailSipMessage *
build_request (HailSipRequestSender  *self,
               GError               **error)
{
  g_autoptr(HailSipMessageBuilder) builder = NULL;
  g_autofree char *branch = hail_sip_stack_new_branch ();
  g_autofree char *via = NULL;
  g_autofree char *cseq = NULL;
  g_autofree char *contact = NULL;

  via = hail_sip_stack_dup_via (self->stack, self->target, branch, error);
  if (via == NULL)
    return NULL;
  if (self->contact_func != NULL)
    {
      contact = self->contact_func (self->target, self->contact_data, error);
      if (contact == NULL)
        return NULL;
    }
  builder = hail_sip_message_builder_new_request (self->method, self->request_uri);
  hail_sip_message_builder_add_header (builder, "Via", via);
  hail_sip_message_builder_add_header (builder, "Max-Forwards", "70");
  hail_sip_message_builder_add_header (builder, "From", self->from);
  hail_sip_message_builder_add_header (builder, "To", self->to);
  hail_sip_message_builder_add_header (builder, "Call-ID", self->call_id);
  cseq = g_strdup_printf ("%u %s", self->cseq, self->method);
  hail_sip_message_builder_add_header (builder, "CSeq", cseq);
  if (contact != NULL)
    hail_sip_message_builder_add_header (builder, "Contact", contact);
  for (guint i = 0;
       self->headers != NULL && self->headers[i] != NULL && self->headers[i + 1] != NULL;
       i += 2)
    hail_sip_message_builder_add_header (builder, self->headers[i], self->headers[i + 1]);
  for (guint i = 0; i < self->sent->len; i++)
    {
      HailSipAuthHeader *header = g_ptr_array_index (self->sent, i);

      hail_sip_message_builder_add_header (builder, header->name, header->value);
    }
  hail_sip_message_builder_add_header (builder, "User-Agent", "Hail/" PACKAGE_VERSION);
  if (self->body != NULL)
    hail_sip_message_builder_set_body (builder, self->content_type, self->body);
  return hail_sip_message_builder_finish (builder, error);
}

static void
fill_auth_request (HailSipRequestSender *self,
                   HailSipAuthRequest   *request)
{
  gsize len = 0;

  request->method = self->method;
  request->uri = hail_sip_uri_to_string (self->request_uri);
  request->body = self->body != NULL ? g_bytes_get_data (self->body, &len) : NULL;
  request->body_len = len;
  request->sent = self->sent;
}

/* One header per realm and kind: a new answer replaces the old one. */
static void
merge_auth_headers (HailSipRequestSender *self,
                    GPtrArray            *answers)
{
  while (answers->len > 0)
    {
      HailSipAuthHeader *answer = g_ptr_array_steal_index (answers, 0);

      for (guint j = 0; j < self->sent->len; j++)
        {
          HailSipAuthHeader *old = g_ptr_array_index (self->sent, j);

          if (g_str_equal (old->name, answer->name) && g_str_equal (old->realm, answer->realm))
            {
              g_ptr_array_remove_index (self->sent, j);
              break;
            }
        }
      g_ptr_array_add (self->sent, answer);
    }
}

GPtrArray *
hail_sip_request_sender_answer (HailSipAuth               *auth,
                                HailSipMessage            *response,
                                const HailSipAuthRequest  *request,
                                GError                   **error)
{
  guint status;
  HailSipHeaderId wanted;
  g_autoptr(GPtrArray) challenges = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (HAIL_IS_SIP_AUTH (auth), NULL);
  g_return_val_if_fail (response != NULL && request != NULL, NULL);

  status = hail_sip_message_get_status (response);
  wanted = status == 401 ? HAIL_SIP_HEADER_WWW_AUTHENTICATE : HAIL_SIP_HEADER_PROXY_AUTHENTICATE;
  for (guint i = 0; i < hail_sip_message_get_n_headers (response); i++)
    {
      HailSipSpan name, value;
      HailSipHeaderId id;

      if (hail_sip_message_get_header_at (response, i, &name, &value, &id) && id == wanted)
        g_ptr_array_add (challenges, hail_sip_span_dup (value));
    }
  g_ptr_array_add (challenges, NULL);
  return hail_sip_auth_respond (auth, status == 401 ? HAIL_SIP_AUTH_KIND_WWW
                                                    : HAIL_SIP_AUTH_KIND_PROXY,
                                (const char * const *) challenges->pdata, request, error);
}

/* Answers the challenges of a 401/407; FALSE with @error when the
 * password was refused or nothing can be answered. */
static gboolean
answer_challenge (HailSipRequestSender  *self,
                  HailSipMessage        *response,
                  GError               **error)
{
  g_autoptr(GPtrArray) answers = NULL;
  HailSipAuthRequest request;

  fill_auth_request (self, &request);
  answers = hail_sip_request_sender_answer (self->auth, response, &request, error);
  if (answers == NULL)
    return FALSE;
  merge_auth_headers (self, answers);
  return TRUE;
}

static gboolean
same_target (const HailSipTarget *a,
             const HailSipTarget *b)
{
  GInetAddress *ia = g_inet_socket_address_get_address (a->address);
  GInetAddress *ib = g_inet_socket_address_get_address (b->address);

  return a->kind == b->kind && g_inet_address_equal (ia, ib)
         && g_inet_socket_address_get_port (a->address)
              == g_inet_socket_address_get_port (b->address);
}

static gboolean
was_tried (HailSipRequestSender *self,
           const HailSipTarget  *target)
{
  for (guint i = 0; i < self->failed->len; i++)
    if (same_target (g_ptr_array_index (self->failed, i), target))
      return TRUE;
  return FALSE;
}

static void
resolved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(HailSipRequestSender) self = user_data;
  g_autoptr(GPtrArray) targets = NULL;
  GError *error = NULL;

  targets = hail_sip_resolver_lookup_finish (result, &error);
  if (self->stopped && error == NULL)
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 "The request was stopped before it was sent");
  if (error != NULL)
    {
      /* A target that failed before says more than the lookup after it
       * (a refresh whose registrar is gone and whose DNS is down). */
      if (self->last_error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("Looking up %s again failed: %s",
                   hail_sip_uri_to_string (self->next_hop), error->message);
          g_clear_error (&error);
          if (self->last_response != NULL)
            {
              complete (self, self->last_response, NULL);
              return;
            }
          error = g_error_copy (self->last_error);
        }
      complete (self, NULL, error);
      return;
    }
  g_clear_pointer (&self->targets, g_ptr_array_unref);
  self->targets = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_sip_target_free);
  for (guint i = 0; i < targets->len; i++)
    if (!was_tried (self, g_ptr_array_index (targets, i)))
      g_ptr_array_add (self->targets, hail_sip_target_copy (g_ptr_array_index (targets, i)));
  if (self->targets->len == 0 && self->last_error == NULL && self->last_response == NULL)
    {
      complete (self, NULL, g_error_new (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                                         "DNS name not found: %s",
                                         hail_sip_uri_get_host (self->next_hop)));
      return;
    }
  next_target (self);
}

static void
resolve (HailSipRequestSender *self)
{
  GCancellable *cancellable = g_task_get_cancellable (self->task);

  hail_sip_resolver_lookup_async (self->next_hop, self->kind, cancellable, resolved_cb,
                                  g_object_ref (self));
}

/* Takes the best target not tried yet (UDP only where a socket of its
 * family is bound, hail_sip_stack_pick_target()) and sends to it; ends the
 * run with the last failure when none is left. */
static void
next_target (HailSipRequestSender *self)
{
  const HailSipTarget *best;
  guint index = 0;

  if (self->targets == NULL)
    {
      /* Only the caller's target so far: find the others now. */
      resolve (self);
      return;
    }
  if (self->targets->len == 0)
    {
      if (self->last_response != NULL)
        complete (self, self->last_response, NULL);
      else if (self->last_error != NULL)
        complete (self, NULL, g_steal_pointer (&self->last_error));
      else
        complete (self, NULL, g_error_new (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                                           "No address to send %s to", self->method));
      return;
    }
  best = hail_sip_stack_pick_target (self->stack, self->targets);
  g_ptr_array_find (self->targets, best, &index);
  g_clear_pointer (&self->target, hail_sip_target_free);
  self->target = g_ptr_array_steal_index (self->targets, index);
  self->attempts = 0;
  /* Each attempt is a new request: new branch, next CSeq (§8.1.3.5). */
  if (self->failed->len > 0)
    self->cseq++;
  attempt (self);
}

/* RFC 3263 §4.3: the target failed (@response is its 503, else @error
 * says how): on to the next one, unless the request may not go on. */
static void
fail_over (HailSipRequestSender *self,
           HailSipMessage       *response,
           GError               *error)
{
  g_autofree char *where = hail_sip_target_to_string (self->target);

  if (self->stopped || self->provisional_seen)
    {
      /* A server that answered 1xx has the request, and a cancelled one
       * must reach no other. */
      complete (self, response, error);
      return;
    }
  g_debug ("%s to %s failed (%s): trying the next target", self->method, where,
           error != NULL ? error->message : "503");
  g_ptr_array_add (self->failed, hail_sip_target_copy (self->target));
  g_clear_error (&self->last_error);
  g_clear_pointer (&self->last_response, hail_sip_message_unref);
  if (response != NULL)
    {
      self->last_response = hail_sip_message_ref (response);
      g_clear_error (&error);
    }
  else
    {
      self->last_error = error;
    }
  if (self->next_hop == NULL && self->targets == NULL)
    {
      /* A fixed target and nothing to resolve. */
      self->targets = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_sip_target_free);
    }
  next_target (self);
}

static gboolean
follow_redirect (HailSipRequestSender *self,
                 HailSipMessage       *response)
{
  g_autoptr(HailSipUri) uri = NULL;
  HailSipNameAddr contact;

  if (self->stopped || self->redirects >= self->max_redirects
      || hail_sip_message_get_n_contacts (response) == 0)
    return FALSE;
  /* §8.1.3.4: the first Contact, as a new request of the same call. */
  if (hail_sip_message_get_contact (response, 0, &contact) && !contact.wildcard)
    uri = hail_sip_name_addr_get_uri (&contact);
  if (uri == NULL || hail_sip_uri_get_host (uri) == NULL)
    return FALSE;
  g_info ("%s %s redirected (%u) to %s", self->method, self->call_id,
          hail_sip_message_get_status (response), hail_sip_uri_to_string (uri));
  self->redirects++;
  g_clear_pointer (&self->request_uri, hail_sip_uri_unref);
  self->request_uri = g_steal_pointer (&uri);
  /* The new URI is looked up unless an outbound proxy takes everything;
   * every target is worth a try again. */
  if (!self->has_proxy)
    {
      g_clear_pointer (&self->next_hop, hail_sip_uri_unref);
      self->next_hop = hail_sip_uri_ref (self->request_uri);
    }
  g_clear_pointer (&self->targets, g_ptr_array_unref);
  g_ptr_array_set_size (self->failed, 0);
  g_clear_error (&self->last_error);
  g_clear_pointer (&self->last_response, hail_sip_message_unref);
  self->provisional_seen = FALSE;
  self->cseq++;
  resolve (self);
  return TRUE;
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(HailSipRequestSender) self = user_data;
  g_autoptr(HailSipMessage) response = NULL;
  GError *error = NULL;
  guint status;

  response = hail_sip_client_transaction_run_finish (HAIL_SIP_CLIENT_TRANSACTION (source),
                                                     result, &error);
  if (response == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        complete (self, NULL, error);
      else
        {
          if (self->streamed && error->domain == HAIL_SIP_ERROR
              && error->code == HAIL_SIP_ERROR_TRANSPORT)
            g_prefix_error (&error, "UDP takes 1300 bytes and TCP to the same server failed: ");
          fail_over (self, NULL, error);
        }
      return;
    }
  status = hail_sip_message_get_status (response);
  self->status = status;
  if ((status == 401 || status == 407) && self->auth != NULL && !self->stopped
      && self->attempts < HAIL_SIP_MAX_REQUEST_ATTEMPTS)
    {
      if (!answer_challenge (self, response, &error))
        {
          complete (self, NULL, error);
          return;
        }
      /* §22.2: the same server again, with a new branch and the next CSeq. */
      self->cseq++;
      attempt (self);
      return;
    }
  if (status == 503)
    {
      fail_over (self, response, NULL);
      return;
    }
  if (status >= 300 && status < 400 && follow_redirect (self, response))
    return;
  complete (self, response, NULL);
}

static void
provisional_cb (HailSipClientTransaction *txn,
                HailSipMessage           *response,
                HailSipRequestSender     *self)
{
  if (txn == self->txn)
    self->provisional_seen = TRUE;
}

static void
attempt (HailSipRequestSender *self)
{
  g_autoptr(HailSipMessage) request = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(HailSipClientTransaction) txn = NULL;
  GError *error = NULL;

  if (self->stopped)
    {
      complete (self, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 "The request was stopped before it was sent"));
      return;
    }
  if (++self->attempts == 1)
    self->n_tried++;
  self->streamed = FALSE;
  self->provisional_seen = FALSE;
  request = build_request (self, &error);
  if (request != NULL)
    {
      bytes = hail_sip_message_get_bytes (request);
      if (self->target->kind == HAIL_SIP_TRANSPORT_KIND_UDP
          && hail_sip_transport_needs_stream (g_bytes_get_size (bytes), 0))
        {
          if (!self->allow_stream)
            {
              complete (self, NULL,
                        g_error_new (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                                     "%" G_GSIZE_FORMAT " bytes, and UDP takes 1300 (RFC 3261 "
                                     "§18.1.1): use TCP or TLS, or a shorter message",
                                     g_bytes_get_size (bytes)));
              return;
            }
          /* §18.1.1: too large for UDP: the same server over TCP. */
          self->target->kind = HAIL_SIP_TRANSPORT_KIND_TCP;
          self->streamed = TRUE;
          g_clear_pointer (&request, hail_sip_message_unref);
          request = build_request (self, &error);
        }
    }
  if (request == NULL)
    {
      /* No local address toward it (no route, no socket of its family):
       * as unreachable as a refused connection. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        complete (self, NULL, error);
      else
        fail_over (self, NULL, error);
      return;
    }
  g_clear_pointer (&self->request, hail_sip_message_unref);
  self->request = hail_sip_message_ref (request);
  txn = hail_sip_client_transaction_new (self->stack, request, self->target);
  g_set_object (&self->txn, txn);
  g_signal_connect_object (txn, "provisional", G_CALLBACK (provisional_cb), self, 0);
  g_signal_emit (self, signals[SIGNAL_ATTEMPT], 0, txn);
  hail_sip_client_transaction_run_async (txn, g_task_get_cancellable (self->task), run_cb,
                                         g_object_ref (self));
}

static void
hail_sip_request_sender_dispose (GObject *object)
{
  HailSipRequestSender *self = HAIL_SIP_REQUEST_SENDER (object);

  g_clear_object (&self->txn);
  g_clear_object (&self->stack);
  g_clear_object (&self->auth);

  G_OBJECT_CLASS (hail_sip_request_sender_parent_class)->dispose (object);
}

static void
hail_sip_request_sender_finalize (GObject *object)
{
  HailSipRequestSender *self = HAIL_SIP_REQUEST_SENDER (object);

  g_assert (self->task == NULL);
  g_clear_pointer (&self->request_uri, hail_sip_uri_unref);
  g_clear_pointer (&self->next_hop, hail_sip_uri_unref);
  g_clear_pointer (&self->target, hail_sip_target_free);
  g_clear_pointer (&self->targets, g_ptr_array_unref);
  g_clear_pointer (&self->failed, g_ptr_array_unref);
  g_clear_pointer (&self->sent, g_ptr_array_unref);
  g_clear_pointer (&self->request, hail_sip_message_unref);
  g_clear_pointer (&self->last_response, hail_sip_message_unref);
  g_clear_error (&self->last_error);
  g_free (self->method);
  g_free (self->from);
  g_free (self->to);
  g_free (self->call_id);
  g_strfreev (self->headers);
  g_free (self->content_type);
  g_clear_pointer (&self->body, g_bytes_unref);

  G_OBJECT_CLASS (hail_sip_request_sender_parent_class)->finalize (object);
}

static void
hail_sip_request_sender_class_init (HailSipRequestSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hail_sip_request_sender_dispose;
  object_class->finalize = hail_sip_request_sender_finalize;

  signals[SIGNAL_ATTEMPT] =
    g_signal_new ("attempt", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, HAIL_TYPE_SIP_CLIENT_TRANSACTION);
}

static void
hail_sip_request_sender_init (HailSipRequestSender *self)
{
  self->kind = -1;
  self->allow_stream = TRUE;
  self->failed = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_sip_target_free);
  self->sent = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_sip_auth_header_free);
}

HailSipRequestSender *
hail_sip_request_sender_new (HailSipStack             *stack,
                             const HailSipRequestSpec *spec,
                             HailSipAuth              *auth)
{
  HailSipRequestSender *self;

  g_return_val_if_fail (HAIL_IS_SIP_STACK (stack), NULL);
  g_return_val_if_fail (spec != NULL && spec->method != NULL && spec->request_uri != NULL, NULL);
  g_return_val_if_fail (spec->from != NULL && spec->to != NULL && spec->call_id != NULL, NULL);
  g_return_val_if_fail (auth == NULL || HAIL_IS_SIP_AUTH (auth), NULL);

  self = g_object_new (HAIL_TYPE_SIP_REQUEST_SENDER, NULL);
  self->stack = g_object_ref (stack);
  self->auth = auth != NULL ? g_object_ref (auth) : NULL;
  self->method = g_strdup (spec->method);
  self->request_uri = hail_sip_uri_ref ((HailSipUri *) spec->request_uri);
  self->target = spec->target != NULL ? hail_sip_target_copy (spec->target) : NULL;
  self->from = g_strdup (spec->from);
  self->to = g_strdup (spec->to);
  self->call_id = g_strdup (spec->call_id);
  self->cseq = spec->cseq;
  self->headers = g_strdupv ((GStrv) spec->headers);
  self->content_type = g_strdup (spec->content_type);
  self->body = spec->body != NULL ? g_bytes_ref (spec->body) : NULL;
  return self;
}

void
hail_sip_request_sender_set_next_hop (HailSipRequestSender *self,
                                      const HailSipUri     *next_hop,
                                      gint                  kind)
{
  g_return_if_fail (HAIL_IS_SIP_REQUEST_SENDER (self));
  g_return_if_fail (next_hop == NULL || hail_sip_uri_get_host (next_hop) != NULL);
  g_return_if_fail (kind >= -1 && kind <= HAIL_SIP_TRANSPORT_KIND_TLS);

  g_clear_pointer (&self->next_hop, hail_sip_uri_unref);
  self->next_hop = next_hop != NULL ? hail_sip_uri_ref ((HailSipUri *) next_hop) : NULL;
  self->has_proxy = next_hop != NULL && !hail_sip_uri_equal (next_hop, self->request_uri);
  self->kind = kind;
}

void
hail_sip_request_sender_set_contact_func (HailSipRequestSender *self,
                                          HailSipContactFunc    func,
                                          gpointer              user_data)
{
  g_return_if_fail (HAIL_IS_SIP_REQUEST_SENDER (self));

  self->contact_func = func;
  self->contact_data = user_data;
}

void
hail_sip_request_sender_set_max_redirects (HailSipRequestSender *self,
                                           guint                 max)
{
  g_return_if_fail (HAIL_IS_SIP_REQUEST_SENDER (self));

  self->max_redirects = max;
}

void
hail_sip_request_sender_set_allow_stream (HailSipRequestSender *self,
                                          gboolean              allow)
{
  g_return_if_fail (HAIL_IS_SIP_REQUEST_SENDER (self));

  self->allow_stream = !!allow;
}

void
hail_sip_request_sender_stop (HailSipRequestSender *self)
{
  g_return_if_fail (HAIL_IS_SIP_REQUEST_SENDER (self));

  self->stopped = TRUE;
}

void
hail_sip_request_sender_run_async (HailSipRequestSender *self,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HAIL_IS_SIP_REQUEST_SENDER (self));
  g_return_if_fail (self->task == NULL && self->attempts == 0);
  g_return_if_fail (self->target != NULL || self->next_hop != NULL
                    || hail_sip_uri_get_host (self->request_uri) != NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, hail_sip_request_sender_run_async);
  if (self->next_hop == NULL && self->target == NULL)
    self->next_hop = hail_sip_uri_ref (self->request_uri);
  if (self->auth != NULL)
    {
      HailSipAuthRequest request;
      g_autoptr(GPtrArray) cached = NULL;

      /* RFC 7616 §3.4: realms answered before are answered at once. */
      fill_auth_request (self, &request);
      cached = hail_sip_auth_authorize (self->auth, &request, &error);
      if (cached == NULL)
        g_debug ("Could not pre-authorise %s: %s", self->method, error->message);
      else
        merge_auth_headers (self, cached);
    }
  if (self->target != NULL)
    attempt (self);
  else
    resolve (self);
}

HailSipMessage *
hail_sip_request_sender_run_finish (HailSipRequestSender  *self,
                                    GAsyncResult          *result,
                                    GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const HailSipTarget *
hail_sip_request_sender_get_target (HailSipRequestSender *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_REQUEST_SENDER (self), NULL);

  return self->attempts > 0 ? self->target : NULL;
}

HailSipMessage *
hail_sip_request_sender_get_request (HailSipRequestSender *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_REQUEST_SENDER (self), NULL);

  return self->request;
}

guint32
hail_sip_request_sender_get_cseq (HailSipRequestSender *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_REQUEST_SENDER (self), 0);

  return self->cseq;
}

const HailSipUri *
hail_sip_request_sender_get_request_uri (HailSipRequestSender *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_REQUEST_SENDER (self), NULL);

  return self->request_uri;
}

guint
hail_sip_request_sender_get_status (HailSipRequestSender *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_REQUEST_SENDER (self), 0);

  return self->status;
}

guint
hail_sip_request_sender_get_n_targets_tried (HailSipRequestSender *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_REQUEST_SENDER (self), 0);

  return self->n_tried;
}
