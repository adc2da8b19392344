/* hail-account.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-account.h"

#include "hail-msrp-relay.h"
#include "hail-sip-error.h"
#include "hail-sip-message-builder.h"
#include "hail-sip-request-sender.h"
#include "hail-sip-resolver.h"

#include <string.h>

enum {
  SIGNAL_SIP_MESSAGE,
  SIGNAL_REQUEST,
  N_SIGNALS
};

struct _HailAccount
{
  GObject parent_instance;

  /* Owned references. */
  HailSipUri          *aor;
  HailSipUri          *proxy;
  HailMsrpUri         *msrp_relay;    /* NULL: direct message sessions. */
  HailSipTransport    *transport;
  HailSipStack        *stack;
  HailSipAuth         *auth;
  HailSipRegistration *registration;
  HailSipPager        *pager;
  char                *auth_user;
  char                *password;      /* Until the digest cache takes it. */
  char                *instance_id;

  /* State. */
  gint   kind;
  guint  expires;
  gboolean srtp_required;
};

G_DEFINE_FINAL_TYPE (HailAccount, hail_account, G_TYPE_OBJECT)

static guint signals[N_SIGNALS];

static void
wipe_password (HailAccount *self)
{
  if (self->password == NULL)
    return;
  explicit_bzero (self->password, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
}

/* RFC 5626 §4.1 wants the same instance for this device and account
 * across restarts: a name-based UUID (RFC 4122 §4.3, SHA-1) of the machine
 * id and the AOR, so nothing has to be stored. */
static char *
make_instance_id (const char *aor)
{
  g_autofree char *machine_id = NULL;
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize len = sizeof digest;

  if (!g_file_get_contents ("/etc/machine-id", &machine_id, NULL, NULL))
    machine_id = g_strdup (g_get_host_name ());
  g_checksum_update (sha1, (const guchar *) "hail-instance|", -1);
  g_checksum_update (sha1, (const guchar *) g_strstrip (machine_id), -1);
  g_checksum_update (sha1, (const guchar *) "|", -1);
  g_checksum_update (sha1, (const guchar *) aor, -1);
  g_checksum_get_digest (sha1, digest, &len);
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  return g_strdup_printf ("urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          digest[0], digest[1], digest[2], digest[3], digest[4], digest[5],
                          digest[6], digest[7], digest[8], digest[9], digest[10], digest[11],
                          digest[12], digest[13], digest[14], digest[15]);
}

static HailSipAuth *
ensure_auth (HailAccount *self)
{
  if (self->auth == NULL && self->password != NULL)
    {
      g_autofree char *user = NULL;
      gsize len = 0;
      const char *escaped = hail_sip_uri_get_user (self->aor, &len);

      user = hail_sip_uri_unescape (escaped, len, NULL);
      self->auth = hail_sip_auth_new (user, self->auth_user, self->password);
      wipe_password (self);
    }
  return self->auth;
}

static void
stack_message_cb (HailAccount          *self,
                  gboolean              outgoing,
                  HailSipTransportKind  kind,
                  GInetSocketAddress   *remote,
                  GBytes               *bytes)
{
  g_autofree char *peer = hail_sip_address_to_string (remote);

  g_signal_emit (self, signals[SIGNAL_SIP_MESSAGE], 0, outgoing,
                 hail_sip_transport_kind_to_string (kind), peer, bytes);
}

static gboolean
stack_request_cb (HailAccount              *self,
                  HailSipServerTransaction *txn,
                  HailSipMessage           *request)
{
  gboolean handled = FALSE;

  if (txn != NULL && hail_sip_message_is_method (request, "OPTIONS"))
    {
      g_autoptr(HailSipMessageBuilder) builder = NULL;
      g_autoptr(HailSipMessage) response = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *tag = hail_sip_stack_new_tag ();

      /* RFC 3261 §11.2: what we would accept in an INVITE. */
      builder = hail_sip_message_builder_new_reply (request, 200, NULL, tag);
      hail_sip_message_builder_add_header (builder, "Allow", HAIL_ACCOUNT_ALLOW);
      hail_sip_message_builder_add_header (builder, "Accept", HAIL_ACCOUNT_ACCEPT);
      hail_sip_message_builder_add_header (builder, "Supported", "path, outbound");
      hail_sip_message_builder_add_header (builder, "User-Agent", "Hail/" PACKAGE_VERSION);
      response = hail_sip_message_builder_finish (builder, &error);
      if (response == NULL || !hail_sip_server_transaction_respond (txn, response, &error))
        g_debug ("Could not answer OPTIONS: %s", error->message);
      return TRUE;
    }
  g_signal_emit (self, signals[SIGNAL_REQUEST], 0, txn, request, &handled);
  return handled;
}

static void
hail_account_dispose (GObject *object)
{
  HailAccount *self = HAIL_ACCOUNT (object);

  g_clear_object (&self->registration);
  g_clear_object (&self->pager);
  g_clear_object (&self->auth);
  if (self->transport != NULL)
    hail_sip_transport_close (self->transport);
  g_clear_object (&self->stack);
  g_clear_object (&self->transport);

  G_OBJECT_CLASS (hail_account_parent_class)->dispose (object);
}

static void
hail_account_finalize (GObject *object)
{
  HailAccount *self = HAIL_ACCOUNT (object);

  wipe_password (self);
  g_clear_pointer (&self->aor, hail_sip_uri_unref);
  g_clear_pointer (&self->proxy, hail_sip_uri_unref);
  g_clear_pointer (&self->msrp_relay, hail_msrp_uri_unref);
  g_free (self->auth_user);
  g_free (self->instance_id);

  G_OBJECT_CLASS (hail_account_parent_class)->finalize (object);
}

static void
hail_account_class_init (HailAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hail_account_dispose;
  object_class->finalize = hail_account_finalize;

  signals[SIGNAL_SIP_MESSAGE] =
    g_signal_new ("sip-message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_BOOLEAN, G_TYPE_STRING, G_TYPE_STRING,
                  G_TYPE_BYTES | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_REQUEST] =
    g_signal_new ("request", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL, G_TYPE_BOOLEAN, 2,
                  HAIL_TYPE_SIP_SERVER_TRANSACTION, HAIL_TYPE_SIP_MESSAGE);
}

static void
hail_account_init (HailAccount *self)
{
  self->kind = -1;
  self->expires = 3600;
}

HailAccount *
hail_account_new (const char  *aor,
                  GError     **error)
{
  g_autoptr(HailSipUri) uri = NULL;
  HailAccount *self;

  g_return_val_if_fail (aor != NULL, NULL);

  uri = hail_sip_uri_parse (aor, -1, error);
  if (uri == NULL)
    {
      g_prefix_error (error, "Invalid account “%s”: ", aor);
      return NULL;
    }
  if ((hail_sip_uri_get_scheme (uri) != HAIL_SIP_URI_SCHEME_SIP
       && hail_sip_uri_get_scheme (uri) != HAIL_SIP_URI_SCHEME_SIPS)
      || hail_sip_uri_get_user (uri, NULL) == NULL || hail_sip_uri_get_host (uri) == NULL)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                   "Invalid account “%s”: it must look like sip:USER@DOMAIN", aor);
      return NULL;
    }

  self = g_object_new (HAIL_TYPE_ACCOUNT, NULL);
  self->aor = g_steal_pointer (&uri);
  self->instance_id = make_instance_id (hail_sip_uri_to_string (self->aor));
  self->transport = hail_sip_transport_new ();
  self->stack = hail_sip_stack_new (self->transport);
  g_signal_connect_object (self->stack, "message", G_CALLBACK (stack_message_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stack, "request", G_CALLBACK (stack_request_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}

HailSipUri *
hail_account_get_aor (HailAccount *self)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT (self), NULL);

  return self->aor;
}

HailSipStack *
hail_account_get_stack (HailAccount *self)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT (self), NULL);

  return self->stack;
}

HailSipPager *
hail_account_get_pager (HailAccount *self)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT (self), NULL);

  if (self->pager == NULL)
    {
      self->pager = hail_sip_pager_new (self->stack, ensure_auth (self), self->aor, self->proxy);
      hail_sip_pager_set_transport (self->pager, self->kind);
    }
  return self->pager;
}

HailSipRegistration *
hail_account_get_registration (HailAccount *self)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT (self), NULL);

  return self->registration;
}

const char *
hail_account_get_instance_id (HailAccount *self)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT (self), NULL);

  return self->instance_id;
}

void
hail_account_set_auth_user (HailAccount *self,
                            const char  *auth_user)
{
  g_return_if_fail (HAIL_IS_ACCOUNT (self));

  g_free (self->auth_user);
  self->auth_user = g_strdup (auth_user);
}

void
hail_account_set_password (HailAccount *self,
                           const char  *password)
{
  g_return_if_fail (HAIL_IS_ACCOUNT (self));

  wipe_password (self);
  if (self->auth != NULL)
    hail_sip_auth_set_password (self->auth, password);
  else
    self->password = g_strdup (password);
}

gboolean
hail_account_set_proxy (HailAccount  *self,
                        const char   *proxy,
                        GError      **error)
{
  g_autoptr(HailSipUri) uri = NULL;

  g_return_val_if_fail (HAIL_IS_ACCOUNT (self), FALSE);

  if (proxy != NULL)
    {
      uri = hail_sip_uri_parse (proxy, -1, error);
      if (uri == NULL)
        {
          g_prefix_error (error, "Invalid proxy “%s”: ", proxy);
          return FALSE;
        }
      if (hail_sip_uri_get_host (uri) == NULL)
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                       "Invalid proxy “%s”: it must be a sip: or sips: URI", proxy);
          return FALSE;
        }
    }
  g_clear_pointer (&self->proxy, hail_sip_uri_unref);
  self->proxy = g_steal_pointer (&uri);
  g_clear_object (&self->pager);   /* The next one uses the new proxy. */
  return TRUE;
}

void
hail_account_set_transport (HailAccount *self,
                            gint         kind)
{
  g_return_if_fail (HAIL_IS_ACCOUNT (self));
  g_return_if_fail (kind >= -1 && kind <= HAIL_SIP_TRANSPORT_KIND_TLS);

  self->kind = kind;
  g_clear_object (&self->pager);
}

gboolean
hail_account_set_ca_file (HailAccount  *self,
                          const char   *ca_file,
                          GError      **error)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT (self), FALSE);

  return hail_sip_transport_set_ca_file (self->transport, ca_file, error);
}

gboolean
hail_account_set_msrp_relay (HailAccount  *self,
                             const char   *relay,
                             GError      **error)
{
  HailMsrpUri *uri = NULL;

  g_return_val_if_fail (HAIL_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (relay != NULL && *relay != '\0')
    {
      uri = hail_msrp_relay_parse_uri (relay, error);
      if (uri == NULL)
        return FALSE;
    }
  g_clear_pointer (&self->msrp_relay, hail_msrp_uri_unref);
  self->msrp_relay = uri;
  return TRUE;
}

HailMsrpUri *
hail_account_get_msrp_relay (HailAccount *self)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT (self), NULL);

  return self->msrp_relay;
}

void
hail_account_set_expires (HailAccount *self,
                          guint        expires)
{
  g_return_if_fail (HAIL_IS_ACCOUNT (self));
  g_return_if_fail (expires > 0);

  self->expires = expires;
}

void
hail_account_set_t1 (HailAccount *self,
                     guint        t1_ms)
{
  g_return_if_fail (HAIL_IS_ACCOUNT (self));
  g_return_if_fail (t1_ms > 0);

  /* RFC 3261 §17.1.2.2: T2 stays at least T1; T4 is independent. */
  hail_sip_stack_set_timers (self->stack, t1_ms, MAX (t1_ms, hail_sip_stack_get_t2 (self->stack)),
                             hail_sip_stack_get_t4 (self->stack));
}

/* Binds a socket of @type to @ip:@port and reads back the port; 0 when
 * it cannot. */
static guint16
probe_port (GInetAddress *ip,
            GSocketType   type,
            guint16       port)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;

  socket = g_socket_new (g_inet_address_get_family (ip), type, G_SOCKET_PROTOCOL_DEFAULT, NULL);
  address = g_inet_socket_address_new (ip, port);
  if (socket == NULL || !g_socket_bind (socket, address, FALSE, NULL))
    return 0;
  bound = g_socket_get_local_address (socket, NULL);
  return bound != NULL ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)) : 0;
}

/* A port that UDP and TCP are both free on, for "any port": peers expect
 * a UA's UDP and TCP on one port (a TCP request to the port a UDP Contact
 * names). The kernel's UDP pick may be some connection's TCP port; try a
 * few. Another process may still take it before we listen: then TCP goes
 * to a port of its own, as before. */
static guint16
pick_shared_port (GInetAddress *ip)
{
  for (guint i = 0; i < 20; i++)
    {
      guint16 port = probe_port (ip, G_SOCKET_TYPE_DATAGRAM, 0);

      if (port != 0 && probe_port (ip, G_SOCKET_TYPE_STREAM, port) == port)
        return port;
    }
  return 0;
}

GPtrArray *
hail_account_start (HailAccount  *self,
                    const char   *listen,
                    GError      **error)
{
  g_autoptr(GSocketConnectable) parsed = NULL;
  g_autoptr(GInetAddress) ip = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) same_port = NULL;
  g_autoptr(GInetSocketAddress) udp = NULL;
  g_autoptr(GInetSocketAddress) tcp = NULL;
  g_autoptr(GPtrArray) bound = NULL;
  g_autoptr(GError) tcp_error = NULL;
  guint16 port;

  g_return_val_if_fail (HAIL_IS_ACCOUNT (self), NULL);

  parsed = g_network_address_parse (listen != NULL ? listen : "0.0.0.0:0", 0, error);
  if (parsed == NULL)
    {
      g_prefix_error (error, "Invalid listen address “%s”: ", listen);
      return NULL;
    }
  ip = g_inet_address_new_from_string (g_network_address_get_hostname (G_NETWORK_ADDRESS (parsed)));
  if (ip == NULL)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                   "Invalid listen address “%s”: the host must be an IP address", listen);
      return NULL;
    }
  port = g_network_address_get_port (G_NETWORK_ADDRESS (parsed));
  address = g_inet_socket_address_new (ip, port);
  if (port == 0 && (port = pick_shared_port (ip)) != 0)
    {
      g_autoptr(GSocketAddress) picked = g_inet_socket_address_new (ip, port);

      udp = hail_sip_stack_listen (self->stack, HAIL_SIP_TRANSPORT_KIND_UDP,
                                   G_INET_SOCKET_ADDRESS (picked), NULL);
    }
  if (udp == NULL)
    udp = hail_sip_stack_listen (self->stack, HAIL_SIP_TRANSPORT_KIND_UDP,
                                 G_INET_SOCKET_ADDRESS (address), error);
  if (udp == NULL)
    return NULL;
  /* TCP on the UDP port, as a SIP server would; any port if it is taken. */
  same_port = g_inet_socket_address_new (ip, g_inet_socket_address_get_port (udp));
  tcp = hail_sip_stack_listen (self->stack, HAIL_SIP_TRANSPORT_KIND_TCP,
                               G_INET_SOCKET_ADDRESS (same_port), &tcp_error);
  if (tcp == NULL)
    {
      g_debug ("TCP port %u is taken: %s", g_inet_socket_address_get_port (udp),
               tcp_error->message);
      g_clear_error (&tcp_error);
      tcp = hail_sip_stack_listen (self->stack, HAIL_SIP_TRANSPORT_KIND_TCP,
                                   G_INET_SOCKET_ADDRESS (address), error);
      if (tcp == NULL)
        return NULL;
    }
  bound = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_sip_target_free);
  g_ptr_array_add (bound, hail_sip_target_new (HAIL_SIP_TRANSPORT_KIND_UDP, udp, NULL));
  g_ptr_array_add (bound, hail_sip_target_new (HAIL_SIP_TRANSPORT_KIND_TCP, tcp, NULL));
  return g_steal_pointer (&bound);
}

static void
registration_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean ok;

  if (g_task_get_source_tag (task) == hail_account_register_async)
    ok = hail_sip_registration_register_finish (HAIL_SIP_REGISTRATION (source), result, &error);
  else
    ok = hail_sip_registration_unregister_finish (HAIL_SIP_REGISTRATION (source), result, &error);
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
hail_account_register_async (HailAccount         *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (HAIL_IS_ACCOUNT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_account_register_async);
  if (self->registration == NULL)
    {
      self->registration = hail_sip_registration_new (self->stack, ensure_auth (self), self->aor,
                                                      self->proxy, self->instance_id);
      hail_sip_registration_set_transport (self->registration, self->kind);
    }
  hail_sip_registration_set_expires (self->registration, self->expires);
  hail_sip_registration_register_async (self->registration, cancellable, registration_cb, task);
}

gboolean
hail_account_register_finish (HailAccount   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
hail_account_unregister_async (HailAccount         *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (HAIL_IS_ACCOUNT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_account_unregister_async);
  if (self->registration == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  hail_sip_registration_unregister_async (self->registration, cancellable, registration_cb, task);
}

gboolean
hail_account_unregister_finish (HailAccount   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
options_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  HailSipMessage *response;

  response = hail_sip_request_sender_run_finish (HAIL_SIP_REQUEST_SENDER (source), result,
                                                 &error);
  if (response == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, response, (GDestroyNotify) hail_sip_message_unref);
}

void
hail_account_options_async (HailAccount         *self,
                            const char          *uri,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(HailSipUri) target = NULL;
  g_autoptr(HailSipRequestSender) sender = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *tag = hail_sip_stack_new_tag ();
  g_autofree char *call_id = hail_sip_stack_new_call_id ();
  const char *headers[] = { "Accept", HAIL_ACCOUNT_ACCEPT, NULL };
  HailSipRequestSpec spec = { 0 };
  GError *error = NULL;

  g_return_if_fail (HAIL_IS_ACCOUNT (self));
  g_return_if_fail (uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_account_options_async);
  target = hail_sip_uri_parse (uri, -1, &error);
  if (target == NULL)
    {
      g_prefix_error (&error, "Invalid URI “%s”: ", uri);
      g_task_return_error (task, error);
      return;
    }
  if (hail_sip_uri_get_host (target) == NULL)
    {
      g_task_return_new_error (task, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                               "Invalid URI “%s”: it must be a sip: or sips: URI", uri);
      return;
    }
  from = g_strdup_printf ("<%s>;tag=%s", hail_sip_uri_to_string (self->aor), tag);
  to = g_strdup_printf ("<%s>", hail_sip_uri_to_string (target));
  spec.method = "OPTIONS";
  spec.request_uri = target;
  spec.from = from;
  spec.to = to;
  spec.call_id = call_id;
  spec.cseq = 1;
  spec.headers = headers;
  sender = hail_sip_request_sender_new (self->stack, &spec, ensure_auth (self));
  /* Through the outbound proxy when there is one (RFC 3261 §8.1.2). */
  hail_sip_request_sender_set_next_hop (sender, self->proxy != NULL ? self->proxy : target,
                                        self->kind);
  hail_sip_request_sender_run_async (sender, cancellable, options_sent_cb,
                                     g_steal_pointer (&task));
}

HailSipMessage *
hail_account_options_finish (HailAccount   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The digest credentials for requests of this account (calls answer
 * their own challenges), or NULL without a password. Borrowed. */
HailSipAuth *
hail_account_get_auth (HailAccount *self)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT (self), NULL);
  return ensure_auth (self);
}

HailSipUri *
hail_account_get_proxy (HailAccount *self)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT (self), NULL);
  return self->proxy;
}

gint
hail_account_get_transport (HailAccount *self)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT (self), -1);
  return self->kind;
}

gboolean
hail_account_get_srtp_required (HailAccount *self)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT (self), FALSE);
  return self->srtp_required;
}

void
hail_account_set_srtp_required (HailAccount *self,
                                gboolean     required)
{
  g_return_if_fail (HAIL_IS_ACCOUNT (self));
  self->srtp_required = !!required;
}

char *
hail_account_dup_local_address (HailAccount *self,
                                const char  *host)
{
  HailSipStack *stack;
  g_autoptr(GInetAddress) ip = NULL;
  g_autoptr(GInetSocketAddress) local = NULL;
  HailSipRegistration *registration;
  const HailSipTarget *registered;
  GInetSocketAddress *listen;

  g_return_val_if_fail (HAIL_IS_ACCOUNT (self), NULL);

  stack = hail_account_get_stack (self);
  ip = host != NULL ? g_inet_address_new_from_string (host) : NULL;
  registration = hail_account_get_registration (self);
  registered = registration != NULL ? hail_sip_registration_get_target (registration) : NULL;

  if (ip != NULL)
    {
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (ip, 5060);
      g_autoptr(HailSipTarget) target =
        hail_sip_target_new (HAIL_SIP_TRANSPORT_KIND_UDP, G_INET_SOCKET_ADDRESS (address), NULL);

      local = hail_sip_stack_get_local_address (stack, target, FALSE, NULL);
    }
  if (local == NULL && registered != NULL)
    local = hail_sip_stack_get_local_address (stack, registered, FALSE, NULL);
  if (local != NULL)
    return g_inet_address_to_string (g_inet_socket_address_get_address (local));
  listen = hail_sip_stack_get_listen_address (stack, HAIL_SIP_TRANSPORT_KIND_UDP);
  if (listen != NULL && !g_inet_address_get_is_any (g_inet_socket_address_get_address (listen)))
    return g_inet_address_to_string (g_inet_socket_address_get_address (listen));
  g_debug ("No route to the peer is known yet; media uses the loopback address");
  return g_strdup ("127.0.0.1");
}

HailSipUri *
hail_account_parse_peer (const char  *uri,
                         GError     **error)
{
  g_autoptr(HailSipUri) peer = NULL;

  g_return_val_if_fail (uri != NULL, NULL);

  peer = hail_sip_uri_parse (uri, -1, error);
  if (peer == NULL)
    {
      g_prefix_error (error, "Invalid URI “%s”: ", uri);
      return NULL;
    }
  if (hail_sip_uri_get_host (peer) == NULL)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                   "Invalid URI “%s”: it must be a sip: or sips: URI", uri);
      return NULL;
    }
  return g_steal_pointer (&peer);
}

gint
hail_account_get_request_transport (HailAccount *self)
{
  g_autofree char *transport = NULL;

  g_return_val_if_fail (HAIL_IS_ACCOUNT (self), -1);

  if (self->kind >= 0 || self->proxy == NULL)
    return self->kind;
  transport = hail_sip_uri_dup_param (self->proxy, "transport", NULL);
  return transport != NULL ? hail_sip_resolver_parse_transport (transport) : -1;
}
