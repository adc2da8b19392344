/* hail-core-engine.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The windows' view of src/core. Each account the user set up becomes an
 * entry keyed by its address; an entry runs one HailAccount at a time and
 * a generation number, bumped whenever that account is dropped, lets late
 * callbacks of a dropped account see that they are stale. Every failure
 * is turned into a sentence that names the cause and what to try
 * (UX.md rule 3), never a bare SIP status.
 */
#include "config.h"

#include "hail-core-engine.h"

#include "hail-account.h"
#include "hail-call-manager.h"
#include "hail-chat.h"
#include "hail-core-call.h"
#include "hail-core-files.h"
#include "hail-address.h"
#include "hail-preferences-window.h"
#include "hail-sip-error.h"
#include "hail-sip-resolver.h"
#include "hail-sip-target.h"
#include "hail-sip-trace.h"
#include "hail-store-error.h"
#include "hail-store-secrets.h"

#include <glib/gi18n.h>

#include <string.h>

/* How long quitting waits for the registrars to confirm the sign-out. A
 * binding left behind expires on its own, so a slow server must not keep
 * the app alive. */
#define SHUTDOWN_WAIT_SECONDS 3

/* RFC 3261 T1 when HAIL_SIP_T1_MS does not set it (tests shrink it). */
#define DEFAULT_T1_MS 500

/* Finer than HailEngineAccountState: disabled is told apart from offline. */
typedef enum {
  ENTRY_DISABLED,
  ENTRY_OFFLINE,
  ENTRY_CONNECTING,
  ENTRY_ONLINE,
  ENTRY_FAILED,
} EntryState;

typedef struct {
  char *address;
  HailAccountConfig *config;     /* as last applied */
  GVariant *applied;             /* config as a variant, to notice edits */
  HailAccount *account;          /* NULL while disabled, looking up, or failed */
  HailChat *chat;                /* made at the first message */
  HailCallManager *calls;        /* while the account runs */
  gulong state_id;
  guint generation;
  EntryState state;
  char *reason;
  gboolean checking;             /* the wizard's check owns the account */
  HailSipTrace *trace;           /* unowned: the engine's, which outlives entries */
} Entry;

/* Carries an entry's identity through an async call; see the header note. */
typedef struct {
  HailCoreEngine *engine;
  char *address;
  guint generation;
  HailAccount *account;
} Op;

struct _HailCoreEngine {
  GObject parent_instance;

  /* owned references */
  HailAccountList *accounts;
  HailStore *store;              /* NULL until the app opened it */
  HailMediaDevices *devices;     /* NULL until the app listed them */
  GSettings *settings;           /* codecs and ring tone; NULL in tests */
  GHashTable *entries;           /* address → Entry */
  GHashTable *calls;             /* Call-ID → HailCoreCall, until each ends */
  GTask *shutdown_task;
  HailSipTrace *trace;           /* the Preferences' SIP trace, off at first */
  HailCoreFiles *files;          /* transfers and offers of every chat */

  /* state */
  guint t1_ms;
  guint shutdown_pending;
  guint shutdown_timeout_id;
  gboolean started;
  gboolean shut_down;
};

static void engine_iface_init (HailEngineInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HailCoreEngine, hail_core_engine, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HAIL_TYPE_ENGINE, engine_iface_init))

static void start_entry (HailCoreEngine *self, Entry *entry);

static Op *
op_new (HailCoreEngine *self,
        Entry          *entry,
        HailAccount    *account)
{
  Op *op = g_new0 (Op, 1);

  op->engine = g_object_ref (self);
  op->address = g_strdup (entry->address);
  op->generation = entry->generation;
  op->account = account != NULL ? g_object_ref (account) : NULL;
  return op;
}

static void
op_free (Op *op)
{
  g_object_unref (op->engine);
  g_free (op->address);
  g_clear_object (&op->account);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Op, op_free)

/* The entry @op was made for, or NULL when it has moved on since. */
static Entry *
op_entry (Op *op)
{
  Entry *entry = g_hash_table_lookup (op->engine->entries, op->address);

  return entry != NULL && entry->generation == op->generation ? entry : NULL;
}

static void
set_state (HailCoreEngine *self,
           Entry          *entry,
           EntryState      state,
           const char     *reason)
{
  if (entry->state == state && g_strcmp0 (entry->reason, reason) == 0)
    return;
  entry->state = state;
  g_free (entry->reason);
  entry->reason = g_strdup (reason);
  g_signal_emit_by_name (self, "account-state-changed", entry->address);
}

static void
unregister_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hail_account_unregister_finish (HAIL_ACCOUNT (source), result, &error))
    g_debug ("Signing out of %s failed: %s",
             hail_sip_uri_to_string (hail_account_get_aor (HAIL_ACCOUNT (source))),
             error->message);
}

/* Removes the binding of an account nobody uses any more. The pending
 * unregistration keeps @account alive until the registrar answers or the
 * transaction times out. */
static void
release_account (HailAccount *account)
{
  HailSipRegistration *registration = hail_account_get_registration (account);

  if (registration != NULL &&
      hail_sip_registration_get_state (registration) == HAIL_SIP_REGISTRATION_STATE_REGISTERED)
    hail_account_unregister_async (account, NULL, unregister_done_cb, NULL);
}

/* Drops whatever the entry runs; callbacks still in flight become stale. */
static void
stop_entry (Entry *entry)
{
  entry->generation++;
  entry->checking = FALSE;
  if (entry->account != NULL)
    {
      HailSipRegistration *registration = hail_account_get_registration (entry->account);

      if (registration != NULL && entry->state_id != 0)
        g_signal_handler_disconnect (registration, entry->state_id);
      entry->state_id = 0;
      /* The trace lets go first: a removed account's sign-out is not
       * its business any more. */
      hail_sip_trace_unwatch (entry->trace, entry->account);
      release_account (entry->account);
      if (entry->calls != NULL)
        g_signal_handlers_disconnect_by_data (entry->calls, entry);
      g_clear_object (&entry->calls);
      g_clear_object (&entry->chat);
      g_clear_object (&entry->account);
    }
}

static void
entry_free (Entry *entry)
{
  stop_entry (entry);
  g_free (entry->address);
  g_clear_object (&entry->config);
  g_clear_pointer (&entry->applied, g_variant_unref);
  g_free (entry->reason);
  g_free (entry);
}

static Entry *
ensure_entry (HailCoreEngine *self,
              const char     *address)
{
  Entry *entry = g_hash_table_lookup (self->entries, address);

  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->address = g_strdup (address);
      entry->state = ENTRY_OFFLINE;
      entry->trace = self->trace;
      g_hash_table_insert (self->entries, entry->address, entry);
    }
  return entry;
}

static void
apply_config (Entry             *entry,
              HailAccountConfig *config)
{
  g_set_object (&entry->config, config);
  g_clear_pointer (&entry->applied, g_variant_unref);
  entry->applied = g_variant_ref_sink (hail_account_config_to_variant (config));
}

/* "host:port" of the server an account talks to, for messages. */
static char *
server_text (HailAccountConfig   *config,
             HailSipRegistration *registration)
{
  const HailSipTarget *target = registration ? hail_sip_registration_get_target (registration)
                                             : NULL;
  g_autoptr(HailAddress) address = NULL;

  if (target != NULL && target->address != NULL)
    return hail_sip_address_to_string (target->address);
  address = hail_address_parse (hail_account_config_get_address (config), NULL, NULL);
  if (address == NULL)
    return g_strdup (hail_account_config_get_address (config));
  return g_strdup_printf (strchr (hail_address_get_host (address), ':') ? "[%s]:%u" : "%s:%u",
                          hail_address_get_host (address),
                          hail_account_config_get_port (config) != 0 ?
                          hail_account_config_get_port (config) :
                          hail_address_get_effective_port (address));
}

static char *
host_text (HailAccountConfig *config)
{
  g_autoptr(HailAddress) address = NULL;
  const char *proxy = hail_account_config_get_proxy (config);

  if (proxy != NULL)
    return g_strdup (proxy);
  address = hail_address_parse (hail_account_config_get_address (config), NULL, NULL);
  return g_strdup (address != NULL ? hail_address_get_host (address)
                                   : hail_account_config_get_address (config));
}

/* Picks the parts people need out of the TLS layer's verify message,
 * "... is not trusted: WHY (issuer: ...) [certificate subject: S; issuer: I]".
 * FALSE when it has another shape; the caller then shows it whole. */
static gboolean
tls_verify_details (const char  *message,
                    char       **why,
                    char       **subject,
                    char       **issuer)
{
  const char *w = strstr (message, "is not trusted: ");
  const char *w_end = w != NULL ? strstr (w, " (issuer: ") : NULL;
  const char *s = strstr (message, "[certificate subject: ");
  const char *s_end = s != NULL ? strstr (s, "; issuer: ") : NULL;
  const char *i_end = s_end != NULL ? strrchr (s_end, ']') : NULL;

  if (w == NULL || w_end == NULL || s_end == NULL || i_end == NULL)
    return FALSE;
  w += strlen ("is not trusted: ");
  s += strlen ("[certificate subject: ");
  *why = g_strndup (w, (gsize) (w_end - w));
  *subject = g_strndup (s, (gsize) (s_end - s));
  s_end += strlen ("; issuer: ");
  *issuer = g_strndup (s_end, (gsize) (i_end - s_end));
  return TRUE;
}

/* The registration keeps the GError domain and code of the failure; its
 * message is the core's English description, used here only where it
 * carries details such as a certificate's subject and issuer. */
static char *
describe_failure (HailCoreEngine      *self,
                  HailAccountConfig   *config,
                  const GError        *error,
                  guint                status,
                  HailSipRegistration *registration)
{
  g_autofree char *server = server_text (config, registration);
  g_autofree char *host = host_text (config);
  guint code = error->domain == HAIL_SIP_STATUS_ERROR ? (guint) error->code : status;

  if (g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_REJECTED) ||
      (error->domain == HAIL_SIP_STATUS_ERROR && (code == 401 || code == 407)))
    /* Translators: %s is a server, e.g. example.com:5060 */
    return g_strdup_printf (_("Wrong password: %s refused the password. Check it, and the "
                              "authentication user under Advanced if your provider gave "
                              "you one."), server);
  if (g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_UNSUPPORTED))
    return g_strdup_printf (_("%s asks for a kind of sign-in Hail does not support. Ask your "
                              "provider for SIP digest credentials."), server);
  if (error->domain == HAIL_SIP_STATUS_ERROR && code == 403)
    return g_strdup_printf (_("Forbidden: %s refused this account. Check with your provider "
                              "that it is active and allowed to sign in from here."), server);
  if (error->domain == HAIL_SIP_STATUS_ERROR && code == 404)
    return g_strdup_printf (_("%s does not know this user. Check the part of the SIP "
                              "address before the @."), server);
  if (error->domain == HAIL_SIP_STATUS_ERROR && code >= 500)
    return g_strdup_printf (_("%s is unavailable at the moment. Hail tries again by "
                              "itself; you can also choose Retry later."), server);
  if (error->domain == HAIL_SIP_STATUS_ERROR)
    /* Translators: %s is a server, %u a SIP status code such as 488 */
    return g_strdup_printf (_("%s did not accept the sign-in (SIP status %u). Check the "
                              "account settings with your provider."), server, code);
  if (g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TIMEOUT))
    /* Translators: %s is a server, %u a number of seconds */
    return g_strdup_printf (_("No answer from %s within %u s. Check the server name and "
                              "port, or choose TCP under Advanced if a firewall drops "
                              "UDP."), server, 64 * self->t1_ms / 1000);
  if (g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS_VERIFY))
    {
      g_autofree char *why = NULL;
      g_autofree char *subject = NULL;
      g_autofree char *issuer = NULL;

      if (tls_verify_details (error->message, &why, &subject, &issuer))
        /* Translators: the server, why OpenSSL refused it, then the certificate's
         * subject and issuer as distinguished names */
        return g_strdup_printf (_("The TLS certificate of %s is not trusted (%s). Subject: "
                                  "%s. Issuer: %s. If this is your provider's server, choose "
                                  "its certificate authority file under Advanced; otherwise "
                                  "someone may be intercepting the connection."),
                                server, why, subject, issuer);
      /* Translators: %s is the server, then the details of the refusal */
      return g_strdup_printf (_("The TLS certificate of %s is not trusted: %s. If this is "
                                "your provider's server, choose its certificate authority "
                                "file under Advanced; otherwise someone may be intercepting "
                                "the connection."), server, error->message);
    }
  if (g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS))
    return g_strdup_printf (_("The secure (TLS) connection to %s failed. Check that the "
                              "port is the server's TLS port, usually 5061."), server);
  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    /* Translators: %s is a host name */
    return g_strdup_printf (_("DNS name not found: %s does not exist. Check the spelling "
                              "of the server in the SIP address."), host);
  /* SERVFAIL, no answer: the name may well exist. */
  if (error->domain == G_RESOLVER_ERROR)
    /* Translators: %s is a host name */
    return g_strdup_printf (_("The DNS server could not look up %s. Check the network "
                              "connection and try again."), host);
  if (g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT) ||
      error->domain == G_IO_ERROR)
    return g_strdup_printf (_("Nothing is answering at %s. Check the server name and port, "
                              "and that the server is running."), server);
  return g_strdup_printf (_("Signing in to %s failed: %s"), server, error->message);
}

static void
registration_state_cb (HailSipRegistration *registration,
                       GParamSpec          *pspec,
                       gpointer             user_data);

static void
core_call_state_cb (HailCoreCall   *call,
                    GParamSpec     *pspec,
                    HailCoreEngine *self)
{
  /* Kept until it ends, so its history row is finished even when no
   * window shows it. */
  if (hail_call_view_get_state (HAIL_CALL_VIEW (call)) == HAIL_CALL_VIEW_STATE_ENDED)
    g_hash_table_remove (self->calls, hail_call_get_call_id (hail_core_call_get_call (call)));
}

/* The "silent" nick of the RingTone enum in the GSettings schema. */
#define RING_TONE_SILENT 1

static HailCoreCall *
wrap_call (HailCoreEngine  *self,
           HailCallManager *manager,
           HailCall        *call)
{
  HailCoreCallFlags flags = HAIL_CORE_CALL_RING | HAIL_CORE_CALL_ECHO_CANCELLATION;
  g_autofree char *input = NULL;
  g_autofree char *output = NULL;
  g_autoptr(HailCoreCall) view = NULL;

  if (self->settings != NULL)
    {
      if (g_settings_get_enum (self->settings, "ring-tone") == RING_TONE_SILENT)
        flags &= ~HAIL_CORE_CALL_RING;
      if (!g_settings_get_boolean (self->settings, "echo-cancellation"))
        flags &= ~HAIL_CORE_CALL_ECHO_CANCELLATION;
      input = g_settings_get_string (self->settings, "input-device");
      output = g_settings_get_string (self->settings, "output-device");
    }
  view = hail_core_call_new (call, manager, self->store, self->devices, input, output, flags);

  g_hash_table_replace (self->calls, g_strdup (hail_call_get_call_id (call)),
                        g_object_ref (view));
  g_signal_connect_object (view, "notify::state", G_CALLBACK (core_call_state_cb), self, 0);
  return g_steal_pointer (&view);
}

/* The preference's codecs that src/core knows, in the user's order; an
 * unknown name would make every call fail, so it is left out. */
static void
apply_codecs (HailCoreEngine  *self,
              HailCallManager *manager)
{
  static const char * const known[] = { "opus", "g722", "pcmu", "pcma", NULL };
  g_auto(GStrv) wanted = NULL;
  g_autoptr(GStrvBuilder) codecs = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  if (self->settings == NULL)
    return;
  wanted = g_settings_get_strv (self->settings, "codecs");
  for (guint i = 0; wanted[i] != NULL; i++)
    {
      g_autofree char *name = g_ascii_strdown (wanted[i], -1);

      if (g_strv_contains (known, name))
        g_strv_builder_add (codecs, name);
      else
        g_debug ("Ignoring the unknown codec “%s” of the preferences", wanted[i]);
    }
  list = g_strv_builder_end (codecs);
  /* None left: the core's own order. */
  hail_call_manager_set_codecs (manager, list[0] != NULL ? (const char * const *) list : NULL);
}

/* The file size limit of the preferences, for files sent and taken. */
static void
apply_max_file_size (HailCoreEngine *self,
                     HailChat       *chat)
{
  if (self->settings != NULL)
    hail_chat_set_max_file_size (chat, g_settings_get_uint64 (self->settings,
                                                              "max-file-size"));
}

/* Where received files go: the preference, else the XDG download folder. */
static void
apply_download_folder (HailCoreEngine *self,
                       HailChat       *chat)
{
  g_autoptr(GFile) folder = NULL;

  if (self->settings == NULL)
    return;
  folder = hail_preferences_window_dup_download_folder (self->settings);
  hail_chat_set_download_dir (chat, folder);
}

/* The entry's chat, made at its first use with the history open. */
static HailChat *
entry_chat (HailCoreEngine *self,
            Entry          *entry,
            HailStore      *store)
{
  if (entry->chat == NULL)
    {
      entry->chat = hail_chat_new (entry->account, store);
      apply_max_file_size (self, entry->chat);
      apply_download_folder (self, entry->chat);
      hail_core_files_watch_chat (self->files, entry->chat, store);
    }
  return entry->chat;
}

static void
download_folder_changed_cb (HailCoreEngine *self)
{
  GHashTableIter iter;
  Entry *entry;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry->chat != NULL)
      apply_download_folder (self, entry->chat);
}

static void
max_file_size_changed_cb (HailCoreEngine *self)
{
  GHashTableIter iter;
  Entry *entry;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry->chat != NULL)
      apply_max_file_size (self, entry->chat);
}

static void
codecs_changed_cb (HailCoreEngine *self)
{
  GHashTableIter iter;
  Entry *entry;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry->calls != NULL)
      apply_codecs (self, entry->calls);
}

static void
incoming_call_cb (HailCallManager *manager,
                  HailCall        *call,
                  gpointer         user_data)
{
  Entry *entry = user_data;
  HailCoreEngine *self = g_object_get_data (G_OBJECT (manager), "hail-core-engine");
  g_autoptr(HailCoreCall) view = NULL;

  if (entry->calls != manager)
    return;
  view = wrap_call (self, manager, call);
  g_signal_emit_by_name (self, "incoming-call", view);
}

static void
watch_account (HailCoreEngine *self,
               Entry          *entry,
               HailAccount    *account)
{
  HailSipRegistration *registration = hail_account_get_registration (account);

  g_set_object (&entry->account, account);
  /* The chat answers incoming MESSAGEs from the start, not only after the
   * first one we send; it needs the history open. */
  if (self->store != NULL)
    entry_chat (self, entry, self->store);
  if (entry->calls == NULL)
    {
      entry->calls = hail_call_manager_new (account);
      g_object_set_data (G_OBJECT (entry->calls), "hail-core-engine", self);
      g_signal_connect (entry->calls, "incoming-call", G_CALLBACK (incoming_call_cb), entry);
      apply_codecs (self, entry->calls);
    }
  g_object_set_data (G_OBJECT (registration), "hail-core-engine", self);
  entry->state_id = g_signal_connect (registration, "notify::state",
                                      G_CALLBACK (registration_state_cb), entry);
  registration_state_cb (registration, NULL, entry);
}

static void
registration_state_cb (HailSipRegistration *registration,
                       GParamSpec          *pspec,
                       gpointer             user_data)
{
  Entry *entry = user_data;
  HailCoreEngine *self = g_object_get_data (G_OBJECT (registration), "hail-core-engine");
  g_autofree char *reason = NULL;

  switch (hail_sip_registration_get_state (registration))
    {
    case HAIL_SIP_REGISTRATION_STATE_REGISTERED:
      set_state (self, entry, ENTRY_ONLINE, NULL);
      break;
    case HAIL_SIP_REGISTRATION_STATE_REGISTERING:
      /* A refresh is not news: keep showing online until it fails. */
      if (entry->state != ENTRY_ONLINE)
        set_state (self, entry, ENTRY_CONNECTING, NULL);
      break;
    case HAIL_SIP_REGISTRATION_STATE_FAILED:
      if (hail_sip_registration_get_error (registration) == NULL)
        break;
      reason = describe_failure (self, entry->config,
                                 hail_sip_registration_get_error (registration),
                                 hail_sip_registration_get_status (registration), registration);
      set_state (self, entry, ENTRY_FAILED, reason);
      break;
    case HAIL_SIP_REGISTRATION_STATE_UNREGISTERED:
    case HAIL_SIP_REGISTRATION_STATE_UNREGISTERING:
    default:
      set_state (self, entry, ENTRY_OFFLINE, _("Signed out."));
      break;
    }
}

static char *
escape_user (const char *user)
{
  /* RFC 3261 user: unreserved and user-unreserved stay as they are. */
  return g_uri_escape_string (user, "&=+$,;?/!*'()", FALSE);
}

/* The account's own certificate authorities, for a server whose
 * certificate no system CA signed; a file that cannot be used is said
 * so in words, before any connection. */
static gboolean
set_ca_file (HailAccount  *account,
             const char   *ca_file,
             GError      **error)
{
  g_autoptr(GError) local = NULL;

  if (ca_file == NULL || hail_account_set_ca_file (account, ca_file, &local))
    return TRUE;
  /* Translators: %s is a file name, then why it could not be read */
  g_set_error (error, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_FAILED,
               _("The certificate authority file %s cannot be used: %s. Choose a PEM file "
                 "under Advanced."), ca_file, local->message);
  return FALSE;
}

/* The account's MSRP relay (RFC 4976), said in words when unusable. */
static gboolean
set_msrp_relay (HailAccount  *account,
                const char   *relay,
                GError      **error)
{
  g_autoptr(GError) local = NULL;

  if (hail_account_set_msrp_relay (account, relay, &local))
    return TRUE;
  /* Translators: %s is why the relay address cannot be used */
  g_set_error (error, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_FAILED,
               _("%s. Correct the MSRP relay under Advanced."), local->message);
  return FALSE;
}

/* A HailAccount for @config, bound and ready to register. A port in the
 * address ("sip:alice@host:5070") is part of the domain, so the REGISTER
 * goes to sip:host:5070 as the user wrote it; the transport parameter
 * becomes the account's transport, and the Advanced page's port, when it
 * differs, names the registrar to use instead. */
static HailAccount *
build_account (HailCoreEngine     *self,
               HailAccountConfig  *config,
               const char         *password,
               GError            **error)
{
  g_autoptr(HailAddress) address = NULL;
  g_autoptr(HailAccount) account = NULL;
  g_autoptr(GPtrArray) sockets = NULL;
  g_autofree char *user = NULL;
  g_autofree char *host = NULL;
  g_autofree char *aor = NULL;
  g_autofree char *proxy = NULL;
  const char *config_proxy = hail_account_config_get_proxy (config);
  const char *transport = hail_account_config_get_transport (config);
  guint port = hail_account_config_get_port (config);
  gint kind = -1;

  address = hail_address_parse (hail_account_config_get_address (config), NULL, error);
  if (address == NULL)
    return NULL;
  user = escape_user (hail_address_get_user (address));
  host = g_strdup_printf (strchr (hail_address_get_host (address), ':') ? "[%s]" : "%s",
                          hail_address_get_host (address));
  if (hail_address_get_port (address) != 0)
    aor = g_strdup_printf ("%s:%s@%s:%u", hail_address_is_secure (address) ? "sips" : "sip",
                           user, host, hail_address_get_port (address));
  else
    aor = g_strdup_printf ("%s:%s@%s", hail_address_is_secure (address) ? "sips" : "sip",
                           user, host);
  if (port == hail_address_get_port (address))
    port = 0;

  if (transport != NULL)
    kind = hail_sip_resolver_parse_transport (transport);
  else if (hail_address_has_transport (address) || hail_address_is_secure (address))
    {
      switch (hail_address_get_transport (address))
        {
        case HAIL_ADDRESS_TRANSPORT_TCP:
          kind = HAIL_SIP_TRANSPORT_KIND_TCP;
          break;
        case HAIL_ADDRESS_TRANSPORT_TLS:
          kind = HAIL_SIP_TRANSPORT_KIND_TLS;
          break;
        case HAIL_ADDRESS_TRANSPORT_UDP:
        default:
          kind = HAIL_SIP_TRANSPORT_KIND_UDP;
          break;
        }
    }

  if (config_proxy != NULL)
    proxy = g_str_has_prefix (config_proxy, "sip:") || g_str_has_prefix (config_proxy, "sips:")
            ? g_strdup (config_proxy) : g_strdup_printf ("sip:%s", config_proxy);
  else if (port != 0)
    proxy = g_strdup_printf ("sip:%s:%u", host, port);

  account = hail_account_new (aor, error);
  if (account == NULL)
    return NULL;
  if (!hail_account_set_proxy (account, proxy, error))
    return NULL;
  hail_account_set_transport (account, kind);
  if (!set_ca_file (account, hail_account_config_get_ca_file (config), error))
    return NULL;
  if (!set_msrp_relay (account, hail_account_config_get_msrp_relay (config), error))
    return NULL;
  hail_account_set_auth_user (account, hail_account_config_get_auth_user (config));
  hail_account_set_t1 (account, self->t1_ms);
  if (password != NULL)
    hail_account_set_password (account, password);
  sockets = hail_account_start (account, NULL, error);
  if (sockets == NULL)
    return NULL;
  /* Before the first REGISTER, so the trace shows the whole exchange. */
  hail_sip_trace_watch (self->trace, account);
  return g_steal_pointer (&account);
}

static void
live_register_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GError) error = NULL;

  /* The "state" handler already shows the outcome; only the error is
   * left to collect. */
  if (!hail_account_register_finish (HAIL_ACCOUNT (source), result, &error))
    g_debug ("Registration of %s: %s", op->address, error->message);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HailAccount) account = NULL;
  char *password = hail_store_secrets_lookup_finish (result, &error);
  HailCoreEngine *self = op->engine;
  Entry *entry = op_entry (op);

  if (entry == NULL)
    {
      if (password != NULL)
        hail_store_secrets_password_free (password);
      return;
    }
  if (password == NULL)
    {
      const char *reason;

      if (g_error_matches (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND))
        reason = _("No password is stored for this account. Choose Edit to enter it.");
      else if (g_error_matches (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_LOCKED_KEYRING))
        reason = _("The keyring is locked, so Hail cannot read the password. Choose Retry "
                   "to unlock it and sign in.");
      else if (g_error_matches (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NO_SECRET_SERVICE))
        reason = _("No keyring service is running, and Hail keeps passwords only there. "
                   "Start GNOME Keyring (or another Secret Service), then choose Retry.");
      else
        reason = error->message;
      /* libsecret's own words, for whoever reads the log: never a secret. */
      g_debug ("No password for %s from the keyring: %s", entry->address, error->message);
      set_state (self, entry, ENTRY_FAILED, reason);
      return;
    }

  account = build_account (self, entry->config, password, &error);
  hail_store_secrets_password_free (password);
  if (account == NULL)
    {
      set_state (self, entry, ENTRY_FAILED, error->message);
      return;
    }
  hail_account_register_async (account, NULL, live_register_cb, op_new (self, entry, NULL));
  watch_account (self, entry, account);
}

static void
start_entry (HailCoreEngine *self,
             Entry          *entry)
{
  g_autofree char *login = hail_account_config_dup_login (entry->config);

  set_state (self, entry, ENTRY_CONNECTING, NULL);
  hail_store_secrets_lookup_async (entry->address, login, NULL, lookup_cb,
                                   op_new (self, entry, NULL));
}

/* Brings the entries in line with the account list: new or edited accounts
 * start, disabled ones stop, removed ones go. */
static void
sync_accounts (HailCoreEngine *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  GHashTableIter iter;
  Entry *entry;

  if (!self->started || self->shut_down)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HailAccountConfig) config = g_list_model_get_item (G_LIST_MODEL (self->accounts),
                                                                   i);
      g_autoptr(GVariant) now = g_variant_ref_sink (hail_account_config_to_variant (config));

      entry = ensure_entry (self, hail_account_config_get_address (config));
      g_hash_table_add (seen, entry->address);
      if (entry->checking)
        continue;
      if (entry->applied != NULL && g_variant_equal (entry->applied, now))
        {
          /* Reloaded from settings as a new object with the same values. */
          g_set_object (&entry->config, config);
          continue;
        }
      apply_config (entry, config);
      stop_entry (entry);
      if (!hail_account_config_get_enabled (config))
        set_state (self, entry, ENTRY_DISABLED, NULL);
      else
        start_entry (self, entry);
    }

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (!g_hash_table_contains (seen, entry->address) && !entry->checking)
      g_hash_table_iter_remove (&iter);
}

static gboolean
is_available (HailEngine *engine)
{
  return TRUE;
}

static void
check_register_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  HailCoreEngine *self = op->engine;
  g_autoptr(GError) error = NULL;
  gboolean ok = hail_account_register_finish (HAIL_ACCOUNT (source), result, &error);
  Entry *entry = op_entry (op);
  g_autofree char *reason = NULL;

  if (entry == NULL)
    {
      /* Edited or removed meanwhile: this binding is nobody's. */
      if (ok)
        release_account (op->account);
      if (ok || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 _("The check was replaced by a newer one."));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  entry->checking = FALSE;
  if (ok)
    {
      watch_account (self, entry, op->account);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The REGISTER may have succeeded before the cancel was seen. */
      release_account (op->account);
      stop_entry (entry);
      set_state (self, entry, ENTRY_OFFLINE, _("Not signed in: the check was "
                                                              "stopped."));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  reason = describe_failure (self, entry->config, error, 0,
                             hail_account_get_registration (op->account));
  stop_entry (entry);
  set_state (self, entry, ENTRY_FAILED, reason);
  g_task_return_new_error (task, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_FAILED, "%s", reason);
}

static void
check_account_async (HailEngine          *engine,
                     HailAccountConfig   *config,
                     const char          *password,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  HailCoreEngine *self = HAIL_CORE_ENGINE (engine);
  g_autoptr(GTask) task = g_task_new (engine, cancellable, callback, user_data);
  g_autoptr(HailAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  Entry *entry = ensure_entry (self, hail_account_config_get_address (config));

  g_task_set_source_tag (task, check_account_async);
  stop_entry (entry);
  apply_config (entry, config);
  account = build_account (self, config, password, &error);
  if (account == NULL)
    {
      set_state (self, entry, ENTRY_FAILED, error->message);
      g_task_return_new_error (task, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_FAILED, "%s",
                               error->message);
      return;
    }
  entry->checking = TRUE;
  set_state (self, entry, ENTRY_CONNECTING, NULL);
  g_task_set_task_data (task, op_new (self, entry, account), (GDestroyNotify) op_free);
  hail_account_register_async (account, cancellable, check_register_cb, g_steal_pointer (&task));
}

static gboolean
check_account_finish (HailEngine    *engine,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static HailEngineAccountState
get_account_state (HailEngine  *engine,
                   const char  *address,
                   GError     **reason)
{
  HailCoreEngine *self = HAIL_CORE_ENGINE (engine);
  Entry *entry = g_hash_table_lookup (self->entries, address);

  if (entry == NULL)
    return self->started ? HAIL_ENGINE_ACCOUNT_STATE_OFFLINE
                         : HAIL_ENGINE_ACCOUNT_STATE_REGISTERING;
  switch (entry->state)
    {
    case ENTRY_ONLINE:
      return HAIL_ENGINE_ACCOUNT_STATE_ONLINE;
    case ENTRY_CONNECTING:
      return HAIL_ENGINE_ACCOUNT_STATE_REGISTERING;
    case ENTRY_FAILED:
      g_set_error_literal (reason, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_FAILED,
                           entry->reason != NULL ? entry->reason : _("Signing in failed."));
      return HAIL_ENGINE_ACCOUNT_STATE_FAILED;
    case ENTRY_DISABLED:
      g_set_error_literal (reason, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_NO_ACCOUNT,
                           _("Turned off: switch it on to sign in."));
      return HAIL_ENGINE_ACCOUNT_STATE_OFFLINE;
    case ENTRY_OFFLINE:
    default:
      g_set_error_literal (reason, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_NO_ACCOUNT,
                           entry->reason != NULL ? entry->reason : _("Not signed in."));
      return HAIL_ENGINE_ACCOUNT_STATE_OFFLINE;
    }
}

/* What the user typed or clicked, as a URI to call from @account: a
 * bare number or user name is at the account's domain, and a tel: number
 * becomes a SIP URI with user=phone there (RFC 3261 §19.1.6). */
static char *
call_target (HailAccount *account,
             const char  *remote)
{
  const HailSipUri *aor = hail_account_get_aor (account);
  const char *domain = strchr (hail_sip_uri_to_string (aor), '@');
  g_autofree char *number = NULL;
  g_autofree char *user = NULL;

  if (g_ascii_strncasecmp (remote, "sip:", 4) == 0 ||
      g_ascii_strncasecmp (remote, "sips:", 5) == 0)
    return g_strdup (remote);
  if (domain == NULL)
    return NULL;
  if (g_ascii_strncasecmp (remote, "tel:", 4) == 0)
    {
      GString *digits = g_string_new (NULL);

      /* Visual separators are not part of the number (RFC 3966 §5.1.1);
       * parameters after ';' are dropped. */
      for (const char *p = remote + 4; *p != '\0' && *p != ';'; p++)
        if (strchr ("-.() ", *p) == NULL)
          g_string_append_c (digits, *p);
      number = g_string_free (digits, FALSE);
      if (*number == '\0')
        return NULL;
      user = g_uri_escape_string (number, "+*#", FALSE);
      return g_strdup_printf ("sip:%s%s;user=phone", user, domain);
    }
  if (strchr (remote, '@') != NULL)
    return g_strdup_printf ("sip:%s", remote);
  user = g_uri_escape_string (remote, "&=+$,;?/!*'()", FALSE);
  return g_strdup_printf ("sip:%s%s", user, domain);
}

/* Where a call without a chosen account goes out from. */
static Entry *
first_online (HailCoreEngine *self)
{
  GHashTableIter iter;
  Entry *entry;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry->state == ENTRY_ONLINE && entry->calls != NULL)
      return entry;
  return NULL;
}

static HailCallView *
start_call (HailEngine  *engine,
            const char  *account,
            const char  *remote,
            GError     **error)
{
  HailCoreEngine *self = HAIL_CORE_ENGINE (engine);
  Entry *entry = account != NULL ? g_hash_table_lookup (self->entries, account)
                                 : first_online (self);
  g_autoptr(HailCall) call = NULL;
  g_autoptr(HailCoreCall) view = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *target = NULL;

  if (entry == NULL || entry->account == NULL || entry->calls == NULL ||
      entry->state != ENTRY_ONLINE)
    {
      g_set_error_literal (error, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_NO_ACCOUNT,
                           _("The account is not online: see its state in the main window."));
      return NULL;
    }
  target = call_target (entry->account, remote);
  if (target != NULL)
    call = hail_call_manager_dial (entry->calls, target, &local);
  if (call == NULL)
    {
      /* Translators: %s is what the user asked to call */
      g_set_error (error, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_FAILED,
                   _("“%s” cannot be called: it is not a SIP address or phone number."),
                   remote);
      if (local != NULL)
        g_debug ("Cannot dial %s: %s", remote, local->message);
      return NULL;
    }
  view = wrap_call (self, entry->calls, call);
  hail_core_call_start (view);
  return HAIL_CALL_VIEW (g_steal_pointer (&view));
}

static void
chat_send_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  /* A stored message that failed to go out is not lost: the store marks
   * it failed with the reason, and the chat window shows both. */
  if (!hail_chat_send_finish (HAIL_CHAT (source), result, NULL, &id, &error) && id <= 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, (gssize) id);
}

/* The entry @account sends from, or NULL once @task got the reason why
 * nothing can be sent now. */
static Entry *
sending_entry (HailCoreEngine *self,
               const char     *account,
               GTask          *task)
{
  Entry *entry = account != NULL ? g_hash_table_lookup (self->entries, account) : NULL;

  if (entry == NULL || entry->account == NULL || entry->state != ENTRY_ONLINE)
    {
      g_task_return_new_error (task, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_NO_ACCOUNT,
                               _("The account is not online: see its state in the main "
                                 "window."));
      return NULL;
    }
  if (self->store == NULL)
    {
      g_task_return_new_error (task, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_UNAVAILABLE,
                               _("The message history is not open yet; try again in a "
                                 "moment."));
      return NULL;
    }
  return entry;
}

static void
send_message_async (HailEngine          *engine,
                    const char          *account,
                    const char          *remote,
                    const char          *body,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  HailCoreEngine *self = HAIL_CORE_ENGINE (engine);
  g_autoptr(GTask) task = g_task_new (engine, cancellable, callback, user_data);
  Entry *entry;

  g_task_set_source_tag (task, send_message_async);
  /* Refused before anything is stored, so the window keeps the text. */
  if ((entry = sending_entry (self, account, task)) == NULL)
    return;
  hail_chat_send_async (entry_chat (self, entry, self->store), remote, body, cancellable,
                        chat_send_cb, g_steal_pointer (&task));
}

static void
file_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (hail_core_files_send_finish (HAIL_CORE_FILES (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
send_file_async (HailEngine          *engine,
                 const char          *account,
                 const char          *remote,
                 GFile               *file,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  HailCoreEngine *self = HAIL_CORE_ENGINE (engine);
  g_autoptr(GTask) task = g_task_new (engine, cancellable, callback, user_data);
  Entry *entry;

  g_task_set_source_tag (task, send_file_async);
  if ((entry = sending_entry (self, account, task)) == NULL)
    return;
  hail_core_files_send_async (self->files, entry_chat (self, entry, self->store), remote, file,
                              cancellable, file_sent_cb, g_steal_pointer (&task));
}

static gboolean
send_file_finish (HailEngine    *engine,
                  GAsyncResult  *result,
                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static HailTransferView *
lookup_transfer (HailEngine *engine,
                 gint64      message_id)
{
  return hail_core_files_lookup (HAIL_CORE_ENGINE (engine)->files, message_id);
}

static GPtrArray *
dup_offers (HailEngine *engine)
{
  return hail_core_files_dup_offers (HAIL_CORE_ENGINE (engine)->files);
}

static gint64
send_message_finish (HailEngine    *engine,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_autoptr(GError) local = NULL;
  gssize id;

  g_return_val_if_fail (g_task_is_valid (result, engine), 0);

  id = g_task_propagate_int (G_TASK (result), &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return 0;
    }
  return id;
}

/* The entry whose account sends as @aor (the form the store keeps). */
static Entry *
entry_for_aor (HailCoreEngine *self,
               const char     *aor)
{
  GHashTableIter iter;
  Entry *entry;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry->account != NULL
        && g_strcmp0 (hail_sip_uri_to_string (hail_account_get_aor (entry->account)), aor) == 0)
      return entry;
  return NULL;
}

/* A retry that could not start, told in words rather than the core's. */
static void
return_resend_error (GTask  *task,
                     GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
    g_task_return_new_error (task, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_FAILED,
                             _("This message is already being sent again."));
  else if (g_error_matches (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID))
    g_task_return_new_error (task, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_FAILED,
                             _("Only a message that failed can be sent again."));
  else if (g_error_matches (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND))
    g_task_return_new_error (task, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_FAILED,
                             _("This message is no longer in the history."));
  else
    {
      g_task_return_error (task, error);
      return;
    }
  g_error_free (error);
}

static void
chat_resent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* A send that failed again is recorded on the row with its reason, as
   * for a new message; only a retry that could not start is an error. */
  if (hail_chat_resend_message_finish (HAIL_CHAT (source), result, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else if (error->domain == HAIL_STORE_ERROR || error->domain == G_IO_ERROR)
    return_resend_error (task, error);
  else
    {
      g_error_free (error);
      g_task_return_boolean (task, TRUE);
    }
}

/* Why a file's retry could not start, in words for people. */
static GError *
file_retry_error (GError *error)
{
  const char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
    text = _("Only a file that failed can be sent again.");
  else if (g_error_matches (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND))
    text = _("This file is no longer in the history.");
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    text = _("The message history is not open yet; try again in a moment.");
  if (text == NULL)
    return error;
  g_debug ("A file was not sent again: %s", error->message);
  g_error_free (error);
  return g_error_new_literal (HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_FAILED, text);
}

static void
file_retried_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  HailTransferView *view = hail_core_files_retry_finish (HAIL_CORE_FILES (source), result,
                                                         &error);

  if (view != NULL)
    g_task_return_pointer (task, view, g_object_unref);
  else
    g_task_return_error (task, file_retry_error (error));
}

static void resend_message_async (HailEngine          *engine,
                                  gint64               message_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
static void retry_file_async     (HailEngine          *engine,
                                  gint64               message_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);

/* The stored message of a retry (a text or a file) names the account
 * that sends it again. */
static void
retried_message_found_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HailCoreEngine *self = g_task_get_source_object (task);
  g_autoptr(GListModel) found = NULL;
  g_autoptr(HailStoreMessage) message = NULL;
  GError *error = NULL;
  Entry *entry;
  HailChat *chat;

  found = hail_store_list_messages_finish (HAIL_STORE (source), result, &error);
  if (found == NULL)
    {
      /* A file row deleted since its window showed it is told as a file. */
      if (g_task_get_source_tag (task) == retry_file_async)
        g_task_return_error (task, file_retry_error (error));
      else
        return_resend_error (task, error);
      return;
    }
  message = g_list_model_get_item (found, 0);
  entry = entry_for_aor (self, hail_store_message_get_account (message));
  if (entry == NULL || entry->state != ENTRY_ONLINE)
    {
      g_task_return_new_error (task, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_NO_ACCOUNT,
                               _("The account is not online: see its state in the main "
                                 "window."));
      return;
    }
  chat = entry_chat (self, entry, self->store);
  if (g_task_get_source_tag (task) == resend_message_async)
    hail_chat_resend_message_async (chat, hail_store_message_get_id (message),
                                    g_task_get_cancellable (task), chat_resent_cb,
                                    g_object_ref (task));
  else
    hail_core_files_retry_async (self->files, chat, hail_store_message_get_id (message),
                                 g_task_get_cancellable (task), file_retried_cb,
                                 g_object_ref (task));
}

/* Looks the stored message @message_id up for @task (tagged @tag). */
static void
find_retried_message (HailEngine          *engine,
                      gint64               message_id,
                      gpointer             tag,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  HailCoreEngine *self = HAIL_CORE_ENGINE (engine);
  g_autoptr(GTask) task = g_task_new (engine, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  if (self->store == NULL)
    {
      g_task_return_new_error (task, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_UNAVAILABLE,
                               _("The message history is not open yet; try again in a "
                                 "moment."));
      return;
    }
  hail_store_get_message_async (self->store, message_id, cancellable, retried_message_found_cb,
                                g_steal_pointer (&task));
}

static void
resend_message_async (HailEngine          *engine,
                      gint64               message_id,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  find_retried_message (engine, message_id, resend_message_async, cancellable, callback,
                        user_data);
}

static void
retry_file_async (HailEngine          *engine,
                  gint64               message_id,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  find_retried_message (engine, message_id, retry_file_async, cancellable, callback,
                        user_data);
}

static HailTransferView *
retry_file_finish (HailEngine    *engine,
                   GAsyncResult  *result,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
resend_message_finish (HailEngine    *engine,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
retry_account (HailEngine *engine,
               const char *address)
{
  HailCoreEngine *self = HAIL_CORE_ENGINE (engine);
  Entry *entry = g_hash_table_lookup (self->entries, address);

  if (entry == NULL || entry->checking || self->shut_down || entry->config == NULL ||
      !hail_account_config_get_enabled (entry->config))
    return;
  stop_entry (entry);
  start_entry (self, entry);
}

static void
shutdown_complete (HailCoreEngine *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->shutdown_task);

  g_clear_handle_id (&self->shutdown_timeout_id, g_source_remove);
  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

static gboolean
shutdown_timeout_cb (gpointer user_data)
{
  HailCoreEngine *self = user_data;

  self->shutdown_timeout_id = 0;
  g_debug ("%u registrars did not confirm the sign-out within %d s", self->shutdown_pending,
           SHUTDOWN_WAIT_SECONDS);
  shutdown_complete (self);
  return G_SOURCE_REMOVE;
}

static void
shutdown_unregister_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(HailCoreEngine) self = user_data;

  unregister_done_cb (source, result, NULL);
  if (self->shutdown_pending > 0 && --self->shutdown_pending == 0)
    shutdown_complete (self);
}

/* Quitting ends every call with CANCEL, a decline or BYE, so no peer is
 * left talking to nobody; like the sign-out, it is sent, not awaited past
 * the shutdown's bound. */
static void
hang_up_all (HailCoreEngine *self)
{
  /* Hanging up removes the call from the table: walk a copy. */
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer call;

  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, &call))
    g_ptr_array_add (calls, g_object_ref (call));
  for (guint i = 0; i < calls->len; i++)
    hail_call_view_hang_up (calls->pdata[i], NULL);
}

static void
shutdown_async (HailEngine          *engine,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  HailCoreEngine *self = HAIL_CORE_ENGINE (engine);
  g_autoptr(GTask) task = g_task_new (engine, NULL, callback, user_data);
  GHashTableIter iter;
  Entry *entry;

  g_task_set_source_tag (task, shutdown_async);
  if (self->shut_down)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  self->shut_down = TRUE;
  self->shutdown_task = g_steal_pointer (&task);
  hang_up_all (self);
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    {
      HailSipRegistration *registration = entry->account != NULL ?
        hail_account_get_registration (entry->account) : NULL;

      if (registration != NULL &&
          hail_sip_registration_get_state (registration) == HAIL_SIP_REGISTRATION_STATE_REGISTERED)
        {
          self->shutdown_pending++;
          hail_account_unregister_async (entry->account, NULL, shutdown_unregister_cb,
                                         g_object_ref (self));
        }
    }
  if (self->shutdown_pending == 0)
    shutdown_complete (self);
  else
    self->shutdown_timeout_id = g_timeout_add_seconds (SHUTDOWN_WAIT_SECONDS,
                                                       shutdown_timeout_cb, self);
}

static void
shutdown_finish (HailEngine   *engine,
                 GAsyncResult *result)
{
  g_return_if_fail (g_task_is_valid (result, engine));

  g_task_propagate_boolean (G_TASK (result), NULL);
}

static void
engine_iface_init (HailEngineInterface *iface)
{
  iface->is_available = is_available;
  iface->check_account_async = check_account_async;
  iface->check_account_finish = check_account_finish;
  iface->get_account_state = get_account_state;
  iface->retry_account = retry_account;
  iface->shutdown_async = shutdown_async;
  iface->shutdown_finish = shutdown_finish;
  iface->start_call = start_call;
  iface->send_message_async = send_message_async;
  iface->send_message_finish = send_message_finish;
  iface->resend_message_async = resend_message_async;
  iface->resend_message_finish = resend_message_finish;
  iface->send_file_async = send_file_async;
  iface->send_file_finish = send_file_finish;
  iface->lookup_transfer = lookup_transfer;
  iface->retry_file_async = retry_file_async;
  iface->retry_file_finish = retry_file_finish;
  iface->dup_offers = dup_offers;
}

static void
hail_core_engine_dispose (GObject *object)
{
  HailCoreEngine *self = HAIL_CORE_ENGINE (object);

  g_clear_handle_id (&self->shutdown_timeout_id, g_source_remove);
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  g_clear_object (&self->accounts);
  g_clear_pointer (&self->calls, g_hash_table_unref);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_object (&self->files);
  g_clear_object (&self->trace);
  g_clear_object (&self->store);
  g_clear_object (&self->devices);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (hail_core_engine_parent_class)->dispose (object);
}

static void
hail_core_engine_class_init (HailCoreEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hail_core_engine_dispose;
}

static void
hail_core_engine_init (HailCoreEngine *self)
{
  const char *t1 = g_getenv ("HAIL_SIP_T1_MS");
  guint64 ms = 0;

  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) entry_free);
  self->calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->trace = hail_sip_trace_new (HAIL_SIP_TRACE_MAX_ENTRIES);
  self->files = hail_core_files_new (HAIL_ENGINE (self));
  /* Tests shrink T1 so that a silent server fails in seconds, not 32. */
  if (t1 != NULL && g_ascii_string_to_unsigned (t1, 10, 1, 60000, &ms, NULL))
    self->t1_ms = (guint) ms;
  else
    self->t1_ms = DEFAULT_T1_MS;
}

HailEngine *
hail_core_engine_new (HailAccountList *accounts)
{
  HailCoreEngine *self;

  g_return_val_if_fail (HAIL_IS_ACCOUNT_LIST (accounts), NULL);

  self = g_object_new (HAIL_TYPE_CORE_ENGINE, NULL);
  self->accounts = g_object_ref (accounts);
  g_signal_connect_swapped (accounts, "items-changed", G_CALLBACK (sync_accounts), self);
  return HAIL_ENGINE (self);
}

/* Starts signing in every enabled account; call it once the window shows. */
void
hail_core_engine_start (HailCoreEngine *self)
{
  g_return_if_fail (HAIL_IS_CORE_ENGINE (self));

  if (self->started)
    return;
  self->started = TRUE;
  sync_accounts (self);
}

/* The history the chats store messages in, once the app opened it. */
void
hail_core_engine_set_store (HailCoreEngine *self,
                            HailStore      *store)
{
  GHashTableIter iter;
  Entry *entry;

  g_return_if_fail (HAIL_IS_CORE_ENGINE (self));
  g_return_if_fail (store == NULL || HAIL_IS_STORE (store));

  g_set_object (&self->store, store);
  if (store == NULL)
    return;
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry->account != NULL)
      entry_chat (self, entry, store);
}

/* The microphones and speakers calls resolve the window's choices in. */
void
hail_core_engine_set_devices (HailCoreEngine   *self,
                              HailMediaDevices *devices)
{
  g_return_if_fail (HAIL_IS_CORE_ENGINE (self));
  g_return_if_fail (devices == NULL || HAIL_IS_MEDIA_DEVICES (devices));

  g_set_object (&self->devices, devices);
}

/* The preferences calls follow: "codecs", "ring-tone",
 * "echo-cancellation", "input-device" and "output-device". */
void
hail_core_engine_set_settings (HailCoreEngine *self,
                               GSettings      *settings)
{
  g_return_if_fail (HAIL_IS_CORE_ENGINE (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_set_object (&self->settings, settings);
  g_signal_connect_swapped (settings, "changed::codecs", G_CALLBACK (codecs_changed_cb), self);
  g_signal_connect_swapped (settings, "changed::max-file-size",
                            G_CALLBACK (max_file_size_changed_cb), self);
  g_signal_connect_swapped (settings, "changed::download-folder",
                            G_CALLBACK (download_folder_changed_cb), self);
  codecs_changed_cb (self);
  max_file_size_changed_cb (self);
  download_folder_changed_cb (self);
}

/* TRUE once an account is online: calls can then go out and come in. */
gboolean
hail_core_engine_can_call (HailCoreEngine *self)
{
  g_return_val_if_fail (HAIL_IS_CORE_ENGINE (self), FALSE);

  return first_online (self) != NULL;
}

/* The SIP messages of every account, recorded while its "enabled" is on. */
HailSipTrace *
hail_core_engine_get_sip_trace (HailCoreEngine *self)
{
  g_return_val_if_fail (HAIL_IS_CORE_ENGINE (self), NULL);

  return self->trace;
}
