/* hail-cli-listen.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hail-cli listen [--for S] ...`: bind UDP and TCP, stay registered,
 * answer OPTIONS (the account does), print what arrives, stop after S
 * seconds or on SIGINT/SIGTERM, then unregister.
 */
#include "config.h"

#include "hail-cli-context.h"

#include "hail-cli-call.h"
#include "hail-cli-event.h"

#include <glib/gi18n.h>

typedef struct {
  int       for_seconds;
  gboolean  auto_answer;
  char     *play;
  char     *record_dir;
  int       reject;
  char     *codecs;
  char     *download_dir;
  gint64    max_file_size;
  guint     for_id;
  HailCliAnswerer *answerer;
} ListenOptions;

static void
calls_ended (HailCliContext *ctx)
{
  hail_cli_context_finish (ctx, 0);
}

static void
stop (HailCliContext *ctx)
{
  ListenOptions *opts = ctx->command_data;

  g_clear_handle_id (&opts->for_id, g_source_remove);
  /* Calls end (BYE, bounded) before we unregister. */
  if (opts->answerer != NULL)
    hail_cli_answerer_stop (opts->answerer, calls_ended);
  else
    hail_cli_context_finish (ctx, 0);
}

static gboolean
for_cb (gpointer user_data)
{
  HailCliContext *ctx = user_data;
  ListenOptions *opts = ctx->command_data;

  opts->for_id = 0;
  stop (ctx);
  return G_SOURCE_REMOVE;
}

/* Incoming requests other than OPTIONS, by method. Each kind the CLI
 * learns (MESSAGE: `message-received`; INVITE: `call-state`) gets its
 * branch here; what is not taken is answered 501 by the stack. */
static gboolean
request_cb (HailAccount              *account,
            HailSipServerTransaction *txn,
            HailSipMessage           *request,
            HailCliContext           *ctx)
{
  HailSipSpan method = hail_sip_message_get_method (request);

  g_debug ("Incoming %.*s is not handled by hail-cli yet", (int) method.len, method.ptr);
  return FALSE;
}

static void
registered (HailCliContext *ctx,
            gboolean        ok)
{
  ListenOptions *opts = ctx->command_data;

  if (!ok)
    {
      hail_cli_context_finish (ctx, 1);
      return;
    }
  if (ctx->stopping)
    {
      hail_cli_context_finish (ctx, 0);
      return;
    }
  /* Milliseconds: g_timeout_add_seconds() may fire up to a second early. */
  if (opts->for_seconds > 0)
    opts->for_id = g_timeout_add ((guint) MIN (opts->for_seconds, 86400) * 1000, for_cb, ctx);
  hail_cli_chat_resend_pending (ctx, NULL, NULL);
}

int
hail_cli_listen_run (HailCliContext  *ctx,
                     int              argc,
                     char           **argv)
{
  ListenOptions opts = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (_("- wait for messages and calls"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bound = NULL;
  int code;
  const GOptionEntry entries[] = {
    { "for", 0, 0, G_OPTION_ARG_INT, &opts.for_seconds,
      N_("Stop after S seconds"), "S" },
    { "auto-answer", 0, 0, G_OPTION_ARG_NONE, &opts.auto_answer,
      N_("Answer incoming calls"), NULL },
    { "play", 0, 0, G_OPTION_ARG_FILENAME, &opts.play,
      N_("WAV file to send in answered calls"), "WAV" },
    { "record-dir", 0, 0, G_OPTION_ARG_FILENAME, &opts.record_dir,
      N_("Directory for one WAV per call"), "DIR" },
    { "reject", 0, 0, G_OPTION_ARG_INT, &opts.reject,
      N_("Decline incoming calls with this status"), "CODE" },
    { "codecs", 0, 0, G_OPTION_ARG_STRING, &opts.codecs,
      N_("Codecs to accept, by preference (default opus,G722,PCMU,PCMA)"), "LIST" },
    { "download-dir", 0, 0, G_OPTION_ARG_FILENAME, &opts.download_dir,
      N_("Take files sent to us (MSRP) into this directory"), "DIR" },
    { "max-file-size", 0, 0, G_OPTION_ARG_INT64, &opts.max_file_size,
      N_("Largest file taken, in bytes (default 100 MiB)"), "BYTES" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      hail_cli_context_error (ctx, error->message);
      return 2;
    }
  if (opts.download_dir != NULL && !g_file_test (opts.download_dir, G_FILE_TEST_IS_DIR))
    {
      hail_cli_context_error (ctx, _("--download-dir must name a directory"));
      g_free (opts.download_dir);
      return 2;
    }
  if (argc > 1 || opts.for_seconds < 0 || opts.for_seconds > 86400 || opts.max_file_size < 0
      || (opts.reject != 0 && (opts.reject < 300 || opts.reject > 699)))
    {
      hail_cli_context_error (ctx,
                              argc > 1 ? _("listen takes no arguments")
                                       : _("--for must be 0 to 86400 seconds, --reject 300 "
                                           "to 699 and --max-file-size positive"));
      g_free (opts.download_dir);
      g_free (opts.play);
      g_free (opts.record_dir);
      return 2;
    }
  hail_cli_chat_set_download_dir (opts.download_dir);
  g_clear_pointer (&opts.download_dir, g_free);
  if (!hail_cli_context_prepare (ctx, &bound))
    {
      g_free (opts.play);
      g_free (opts.record_dir);
      return ctx->exit_code;
    }
  for (guint i = 0; i < bound->len; i++)
    {
      HailSipTarget *socket = g_ptr_array_index (bound, i);
      g_autoptr(HailCliEvent) event = hail_cli_event_new ("listening");
      g_autofree char *address = hail_sip_address_to_string (socket->address);
      g_autofree char *kind =
        g_ascii_strdown (hail_sip_transport_kind_to_string (socket->kind), -1);

      hail_cli_event_add_string (event, "transport", kind);
      hail_cli_event_add_string (event, "address", address);
      hail_cli_event_emit (event, ctx->opts.json);
    }
  g_signal_connect (ctx->account, "request", G_CALLBACK (request_cb), ctx);
  if (!hail_cli_chat_attach (ctx))
    {
      g_free (opts.play);
      g_free (opts.record_dir);
      g_free (opts.codecs);
      return ctx->exit_code;
    }
  {
    HailCliAnswerOptions answer = { opts.auto_answer, opts.reject, opts.play, opts.record_dir,
                                    opts.codecs };

    opts.answerer = hail_cli_answerer_new (ctx, &answer, &error);
    if (opts.answerer == NULL)
      {
        hail_cli_context_error (ctx, error->message);
        g_free (opts.play);
        g_free (opts.record_dir);
        g_free (opts.codecs);
        hail_cli_chat_detach (ctx);
        return 2;
      }
  }
  if (opts.max_file_size > 0)
    hail_chat_set_max_file_size (hail_cli_chat_get (), (guint64) opts.max_file_size);
  ctx->command_data = &opts;
  ctx->on_stop = stop;
  hail_cli_context_register (ctx, registered);
  code = hail_cli_context_run (ctx);
  g_clear_handle_id (&opts.for_id, g_source_remove);
  g_clear_pointer (&opts.answerer, hail_cli_answerer_free);
  hail_cli_chat_detach (ctx);
  g_free (opts.play);
  g_free (opts.record_dir);
  g_free (opts.codecs);
  return code;
}
