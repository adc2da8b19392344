/* hail-cli-context.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-cli-context.h"

#include "hail-cli-event.h"
#include "hail-sip-error.h"
#include "hail-sip-log.h"
#include "hail-sip-resolver.h"
#include "hail-store-secrets.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

void
hail_cli_context_clear (HailCliContext *ctx)
{
  g_clear_handle_id (&ctx->sigint_id, g_source_remove);
  g_clear_handle_id (&ctx->sigterm_id, g_source_remove);
  g_clear_handle_id (&ctx->shutdown_id, g_source_remove);
  if (ctx->state_id != 0 && ctx->account != NULL
      && hail_account_get_registration (ctx->account) != NULL)
    g_signal_handler_disconnect (hail_account_get_registration (ctx->account), ctx->state_id);
  ctx->state_id = 0;
  if (ctx->cancellable != NULL)
    g_cancellable_cancel (ctx->cancellable);
  g_clear_object (&ctx->cancellable);
  g_clear_object (&ctx->account);
  g_clear_pointer (&ctx->loop, g_main_loop_unref);
}

void
hail_cli_context_error (HailCliContext *ctx,
                        const char     *message)
{
  g_autoptr(HailCliEvent) event = hail_cli_event_new ("error");

  hail_cli_event_add_string (event, "message", message);
  hail_cli_event_emit (event, ctx->opts.json);
}

static void
sip_message_cb (HailAccount *account,
                gboolean     outgoing,
                const char  *transport,
                const char  *peer,
                GBytes      *bytes,
                gpointer     user_data)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autofree char *redacted = hail_sip_log_redact (data, len);

  /* The redactor keeps only scheme, username, realm and uri of
   * credentials: --trace never shows a response or a password. */
  fprintf (stderr, "%s %s %s %s (%" G_GSIZE_FORMAT " bytes)\n%s\n",
           outgoing ? "-->" : "<--", transport, outgoing ? "to" : "from", peer, len, redacted);
  fflush (stderr);
}

static gboolean
shutdown_timeout_cb (gpointer user_data)
{
  HailCliContext *ctx = user_data;

  ctx->shutdown_id = 0;
  ctx->timed_out = TRUE;
  hail_cli_context_error (ctx, _("the server did not answer the un-REGISTER in time"));
  if (ctx->exit_code == 0)
    ctx->exit_code = 1;
  g_main_loop_quit (ctx->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
signal_cb (gpointer user_data)
{
  HailCliContext *ctx = user_data;

  if (ctx->signalled)
    return G_SOURCE_CONTINUE;
  ctx->signalled = TRUE;
  if (ctx->unregistering)
    {
      /* Already winding down: bound the wait from now. */
      if (ctx->shutdown_id == 0)
        ctx->shutdown_id = g_timeout_add (HAIL_CLI_SHUTDOWN_SECONDS * 1000,
                                                  shutdown_timeout_cb, ctx);
      return G_SOURCE_CONTINUE;
    }
  ctx->stopping = TRUE;
  if (ctx->on_stop != NULL)
    ctx->on_stop (ctx);
  else
    hail_cli_context_finish (ctx, 1);
  return G_SOURCE_CONTINUE;
}

/* The first line of standard input, without its line break. */
static char *
read_password_line (GError **error)
{
  char buf[HAIL_CLI_MAX_PASSWORD_LEN + 2];
  gsize len;

  if (fgets (buf, sizeof buf, stdin) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("no password: standard input is empty (--password-stdin)"));
      return NULL;
    }
  len = strlen (buf);
  if (len > 0 && buf[len - 1] == '\n')
    buf[--len] = '\0';
  else if (len > HAIL_CLI_MAX_PASSWORD_LEN)
    {
      explicit_bzero (buf, sizeof buf);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("the password line is longer than %d bytes"), HAIL_CLI_MAX_PASSWORD_LEN);
      return NULL;
    }
  if (len > 0 && buf[len - 1] == '\r')
    buf[--len] = '\0';
  {
    char *password = g_strdup (buf);

    explicit_bzero (buf, sizeof buf);
    return password;
  }
}

/* The password the app saved in the Secret Service for this account: the
 * same keys as the app (the AOR as written by the URI writer, and the
 * digest user name). There is never a plain-text fallback. */
static char *
lookup_password (HailCliContext  *ctx,
                 GError         **error)
{
  const HailSipUri *aor = hail_account_get_aor (ctx->account);
  g_autofree char *user = NULL;
  g_autoptr(GError) local_error = NULL;
  char *password;

  if (ctx->opts.auth_user != NULL)
    user = g_strdup (ctx->opts.auth_user);
  else
    {
      gsize len = 0;
      const char *p = hail_sip_uri_get_user (aor, &len);

      user = p != NULL ? g_strndup (p, len) : g_strdup ("");
    }
  password = hail_store_secrets_lookup_sync (hail_sip_uri_to_string (aor), user, NULL,
                                             &local_error);
  if (password == NULL)
    g_set_error (error, local_error->domain, local_error->code,
                 _("no password for %s in the Secret Service (%s); store one with Hail, "
                   "or use --password-stdin"),
                 hail_sip_uri_to_string (aor), local_error->message);
  return password;
}

gboolean
hail_cli_context_prepare (HailCliContext  *ctx,
                          GPtrArray      **bound)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sockets = NULL;
  const char *t1 = g_getenv ("HAIL_SIP_T1_MS");
  gint kind = -1;

  ctx->loop = g_main_loop_new (NULL, FALSE);
  ctx->cancellable = g_cancellable_new ();
  ctx->sigint_id = g_unix_signal_add (SIGINT, signal_cb, ctx);
  ctx->sigterm_id = g_unix_signal_add (SIGTERM, signal_cb, ctx);

  if (ctx->opts.account == NULL)
    {
      hail_cli_context_error (ctx, _("--account sip:USER@DOMAIN is required"));
      ctx->exit_code = 2;
      return FALSE;
    }
  ctx->account = hail_account_new (ctx->opts.account, &error);
  if (ctx->account == NULL)
    {
      hail_cli_context_error (ctx, error->message);
      ctx->exit_code = 2;
      return FALSE;
    }
  if (ctx->opts.transport != NULL)
    {
      kind = hail_sip_resolver_parse_transport (ctx->opts.transport);
      if (kind < 0)
        {
          g_autofree char *message =
            g_strdup_printf (_("unknown transport “%s”: use udp, tcp or tls"),
                             ctx->opts.transport);

          hail_cli_context_error (ctx, message);
          ctx->exit_code = 2;
          return FALSE;
        }
      hail_account_set_transport (ctx->account, kind);
    }
  if (ctx->opts.expires <= 0)
    {
      hail_cli_context_error (ctx, _("--expires must be a positive number of seconds"));
      ctx->exit_code = 2;
      return FALSE;
    }
  hail_account_set_expires (ctx->account, (guint) ctx->opts.expires);
  if (t1 != NULL)
    {
      guint64 ms = 0;

      /* Tests shrink T1 so that timer F fires in seconds, not 32. */
      if (!g_ascii_string_to_unsigned (t1, 10, 1, 60000, &ms, NULL))
        {
          hail_cli_context_error (ctx, _("HAIL_SIP_T1_MS must be 1 to 60000 milliseconds"));
          ctx->exit_code = 2;
          return FALSE;
        }
      hail_account_set_t1 (ctx->account, (guint) ms);
    }
  if (!hail_account_set_proxy (ctx->account, ctx->opts.proxy, &error))
    {
      hail_cli_context_error (ctx, error->message);
      ctx->exit_code = 2;
      return FALSE;
    }
  hail_account_set_auth_user (ctx->account, ctx->opts.auth_user);
  if (ctx->opts.ca_file != NULL
      && !hail_account_set_ca_file (ctx->account, ctx->opts.ca_file, &error))
    {
      hail_cli_context_error (ctx, error->message);
      ctx->exit_code = 2;
      return FALSE;
    }
  if (!hail_account_set_msrp_relay (ctx->account, ctx->opts.msrp_relay, &error))
    {
      hail_cli_context_error (ctx, error->message);
      ctx->exit_code = 2;
      return FALSE;
    }
  if (ctx->opts.password_stdin)
    {
      char *password = read_password_line (&error);

      if (password == NULL)
        {
          hail_cli_context_error (ctx, error->message);
          ctx->exit_code = 2;
          return FALSE;
        }
      hail_account_set_password (ctx->account, password);
      explicit_bzero (password, strlen (password));
      g_free (password);
    }
  else if (!ctx->opts.no_register)
    {
      char *password = lookup_password (ctx, &error);

      if (password == NULL)
        {
          hail_cli_context_error (ctx, error->message);
          ctx->exit_code = 1;
          return FALSE;
        }
      hail_account_set_password (ctx->account, password);
      hail_store_secrets_password_free (password);
    }

  if (ctx->opts.trace)
    g_signal_connect (ctx->account, "sip-message", G_CALLBACK (sip_message_cb), ctx);

  sockets = hail_account_start (ctx->account, ctx->opts.listen, &error);
  if (sockets == NULL)
    {
      hail_cli_context_error (ctx, error->message);
      ctx->exit_code = g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED)
                       || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) ? 2 : 1;
      return FALSE;
    }
  if (bound != NULL)
    *bound = g_steal_pointer (&sockets);
  return TRUE;
}

static void
emit_registered (HailCliContext *ctx)
{
  HailSipRegistration *reg = hail_account_get_registration (ctx->account);
  g_autoptr(HailCliEvent) event = hail_cli_event_new ("registered");

  hail_cli_event_add_int (event, "expires", hail_sip_registration_get_granted_expires (reg));
  hail_cli_event_add_string (event, "contact", hail_sip_registration_get_contact (reg));
  hail_cli_event_emit (event, ctx->opts.json);
}

static void
emit_failed (HailCliContext *ctx,
             const GError   *error)
{
  HailSipRegistration *reg = hail_account_get_registration (ctx->account);
  g_autoptr(HailCliEvent) event = hail_cli_event_new ("registration-failed");
  guint status = reg != NULL ? hail_sip_registration_get_status (reg) : 0;

  hail_cli_event_add_int (event, "status", status);
  hail_cli_event_add_string (event, "reason", error->message);
  hail_cli_event_emit (event, ctx->opts.json);
}

/* Refreshes while --stay or listen runs: say when the state changes. */
static void
state_cb (HailSipRegistration *reg,
          GParamSpec          *pspec,
          HailCliContext      *ctx)
{
  switch (hail_sip_registration_get_state (reg))
    {
    case HAIL_SIP_REGISTRATION_STATE_REGISTERED:
      if (!ctx->registered)
        emit_registered (ctx);
      ctx->registered = TRUE;
      break;
    case HAIL_SIP_REGISTRATION_STATE_FAILED:
      if (ctx->registered && hail_sip_registration_get_error (reg) != NULL)
        emit_failed (ctx, hail_sip_registration_get_error (reg));
      ctx->registered = FALSE;
      break;
    default:
      break;
    }
}

typedef struct {
  HailCliContext *ctx;
  void          (*then) (HailCliContext *ctx,
                         gboolean        ok);
} RegisterData;

static void
register_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RegisterData *data = user_data;
  HailCliContext *ctx = data->ctx;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = hail_account_register_finish (HAIL_ACCOUNT (source), result, &error);
  if (ok)
    {
      ctx->registered = TRUE;
      emit_registered (ctx);
      ctx->state_id = g_signal_connect (hail_account_get_registration (ctx->account),
                                        "notify::state", G_CALLBACK (state_cb), ctx);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      emit_failed (ctx, error);
    }
  data->then (ctx, ok);
  g_free (data);
}

void
hail_cli_context_register (HailCliContext  *ctx,
                           void           (*then) (HailCliContext *ctx,
                                                   gboolean        ok))
{
  RegisterData *data;

  if (ctx->opts.no_register)
    {
      then (ctx, TRUE);
      return;
    }
  data = g_new0 (RegisterData, 1);
  data->ctx = ctx;
  data->then = then;
  hail_account_register_async (ctx->account, ctx->cancellable, register_cb, data);
}

static void
unregister_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  HailCliContext *ctx = user_data;
  g_autoptr(GError) error = NULL;

  if (ctx->timed_out)
    return;   /* The loop has quit already. */
  g_clear_handle_id (&ctx->shutdown_id, g_source_remove);
  if (hail_account_unregister_finish (HAIL_ACCOUNT (source), result, &error))
    {
      g_autoptr(HailCliEvent) event = hail_cli_event_new ("unregistered");

      hail_cli_event_emit (event, ctx->opts.json);
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("un-REGISTER failed: %s"), error->message);

      hail_cli_context_error (ctx, message);
      if (ctx->exit_code == 0)
        ctx->exit_code = 1;
    }
  g_main_loop_quit (ctx->loop);
}

void
hail_cli_context_finish (HailCliContext *ctx,
                         int             code)
{
  HailSipRegistration *reg = ctx->account != NULL ? hail_account_get_registration (ctx->account)
                                                  : NULL;

  ctx->exit_code = code;
  ctx->stopping = TRUE;
  if (ctx->unregistering)
    return;
  if (reg == NULL
      || hail_sip_registration_get_state (reg) == HAIL_SIP_REGISTRATION_STATE_UNREGISTERED)
    {
      /* Also cancels a REGISTER still in flight. */
      g_cancellable_cancel (ctx->cancellable);
      g_main_loop_quit (ctx->loop);
      return;
    }
  if (!ctx->registered)
    {
      g_cancellable_cancel (ctx->cancellable);
      g_main_loop_quit (ctx->loop);
      return;
    }
  if (ctx->state_id != 0)
    g_signal_handler_disconnect (reg, ctx->state_id);
  ctx->state_id = 0;
  ctx->unregistering = TRUE;
  /* After SIGINT/SIGTERM the user is waiting: 5 s at most. At the normal
   * end of a command, timer F bounds the un-REGISTER (32 s on UDP), which
   * a lossy network may need. */
  if (ctx->signalled)
    ctx->shutdown_id = g_timeout_add (HAIL_CLI_SHUTDOWN_SECONDS * 1000, shutdown_timeout_cb,
                                      ctx);
  hail_account_unregister_async (ctx->account, NULL, unregister_cb, ctx);
}

int
hail_cli_context_run (HailCliContext *ctx)
{
  g_main_loop_run (ctx->loop);
  return ctx->exit_code;
}

HailSipUri *
hail_cli_context_parse_uri (HailCliContext *ctx,
                            const char     *arg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipUri) uri = hail_sip_uri_parse (arg, -1, &error);
  g_autofree char *message = NULL;

  if (uri != NULL && hail_sip_uri_get_host (uri) != NULL)
    return g_steal_pointer (&uri);
  message = g_strdup_printf (_("invalid URI “%s”: %s"), arg,
                             error != NULL ? error->message : _("it must be a sip: or sips: URI"));
  hail_cli_context_error (ctx, message);
  return NULL;
}
