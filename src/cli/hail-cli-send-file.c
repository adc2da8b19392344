/* hail-cli-send-file.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hail-cli send-file URI FILE`: push FILE over a message session of its
 * own (INVITE with m=message and a=file-selector, MSRP, RFC 5547), print
 * `file-progress` as the peer acknowledges it and `file-sent` once its
 * Success-Report says it has the whole file, or `file-failed`. With
 * --resume-on-usr1 a failed transfer waits for SIGUSR1 and goes again,
 * resuming after what the receiver reported (`file-sent` then says how
 * many bytes it `skipped`).
 */
#include "config.h"

#include "hail-cli-context.h"

#include "hail-cli-event.h"
#include "hail-sip-error.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>

/* `file-progress` events in a whole transfer, at most (one per step). */
#define PROGRESS_STEPS 100

typedef struct {
  HailChat         *chat;
  HailChatTransfer *transfer;
  GFile            *file;
  char             *to;
  char             *sha256;
  guint64           size;
  guint             last_step;
  guint             usr1_id;
  gboolean          resume_on_usr1;
  gboolean          waiting;     /* Failed; SIGUSR1 sends it again. */
  gboolean          done;
} SendFileRun;

static void
progress_cb (HailChat       *chat,
             const char     *remote,
             const char     *name,
             guint64         done,
             gint64          total,
             gboolean        outgoing,
             HailCliContext *ctx)
{
  SendFileRun *run = ctx->command_data;
  g_autoptr(HailCliEvent) event = NULL;
  guint step;

  if (!outgoing || total <= 0)
    return;
  step = (guint) (MIN (done, (guint64) total) * PROGRESS_STEPS / (guint64) total);
  if (step <= run->last_step && done < (guint64) total)
    return;
  run->last_step = step;
  event = hail_cli_event_new ("file-progress");
  hail_cli_event_add_int (event, "sent", (gint64) done);
  hail_cli_event_add_int (event, "total", total);
  hail_cli_event_emit (event, ctx->opts.json);
}

static void
transfer_added_cb (HailChat         *chat,
                   HailChatTransfer *transfer,
                   HailCliContext   *ctx)
{
  SendFileRun *run = ctx->command_data;

  if (hail_chat_transfer_is_outgoing (transfer))
    g_set_object (&run->transfer, transfer);
}

/* The outcome of an attempt (@error NULL: the peer has the whole file). */
static void
report_outcome (HailCliContext *ctx,
                const GError   *error)
{
  SendFileRun *run = ctx->command_data;
  g_autoptr(HailCliEvent) event = NULL;

  if (error == NULL)
    {
      run->done = TRUE;
      event = hail_cli_event_new ("file-sent");
      hail_cli_event_add_string (event, "sha256", run->sha256);
      hail_cli_event_add_int (event, "size", (gint64) run->size);
      hail_cli_event_add_string (event, "mode",
                                 hail_cli_mode_name (HAIL_STORE_MESSAGE_MODE_SESSION));
      /* Only after a resumed attempt: the bytes that did not go again. */
      if (run->transfer != NULL && hail_chat_transfer_get_resumed_from (run->transfer) > 0)
        hail_cli_event_add_int (event, "skipped",
                                (gint64) hail_chat_transfer_get_resumed_from (run->transfer));
      hail_cli_event_emit (event, ctx->opts.json);
      hail_cli_context_finish (ctx, 0);
      return;
    }
  event = hail_cli_event_new ("file-failed");
  if (error->domain == HAIL_SIP_STATUS_ERROR)
    hail_cli_event_add_int (event, "status", error->code);
  hail_cli_event_add_string (event, "reason", error->message);
  hail_cli_event_emit (event, ctx->opts.json);
  if (run->resume_on_usr1 && run->transfer != NULL && !ctx->stopping)
    {
      run->waiting = TRUE;
      return;
    }
  run->done = TRUE;
  hail_cli_context_finish (ctx, 1);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  HailCliContext *ctx = user_data;
  g_autoptr(GError) error = NULL;

  hail_chat_send_file_finish (HAIL_CHAT (source), result, &error);
  report_outcome (ctx, error);
}

static void
retried_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  HailCliContext *ctx = user_data;
  g_autoptr(GError) error = NULL;

  hail_chat_transfer_retry_finish (HAIL_CHAT_TRANSFER (source), result, &error);
  report_outcome (ctx, error);
}

/* --resume-on-usr1: the failed transfer goes again, resuming where the
 * receiver's reports left off (RFC 5547 9). */
static gboolean
usr1_cb (gpointer user_data)
{
  HailCliContext *ctx = user_data;
  SendFileRun *run = ctx->command_data;

  if (run->waiting && !ctx->stopping)
    {
      run->waiting = FALSE;
      run->last_step = 0;
      hail_chat_transfer_retry_async (run->transfer, ctx->cancellable, retried_cb, ctx);
    }
  return G_SOURCE_CONTINUE;
}

static void
registered (HailCliContext *ctx,
            gboolean        ok)
{
  SendFileRun *run = ctx->command_data;

  if (!ok || ctx->stopping)
    {
      hail_cli_context_finish (ctx, 1);
      return;
    }
  hail_chat_send_file_async (run->chat, run->to, run->file, ctx->cancellable, sent_cb, ctx);
}

static void
stop (HailCliContext *ctx)
{
  SendFileRun *run = ctx->command_data;

  /* The transfer is cancelled (its session ended with BYE) on the way;
   * one waiting for SIGUSR1 said why already. */
  if (!run->done && !run->waiting)
    {
      g_autoptr(HailCliEvent) event = hail_cli_event_new ("file-failed");

      run->done = TRUE;
      hail_cli_event_add_string (event, "reason", _("interrupted"));
      hail_cli_event_emit (event, ctx->opts.json);
    }
  hail_cli_context_finish (ctx, 1);
}

int
hail_cli_send_file_run (HailCliContext  *ctx,
                        int              argc,
                        char           **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("URI FILE - send a file (MSRP session)"));
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipUri) uri = NULL;
  SendFileRun run = { 0 };
  gint64 max_file_size = 0;
  int code;
  const GOptionEntry entries[] = {
    { "max-file-size", 0, 0, G_OPTION_ARG_INT64, &max_file_size,
      N_("Largest file sent, in bytes (default 100 MiB)"), "BYTES" },
    { "resume-on-usr1", 0, 0, G_OPTION_ARG_NONE, &run.resume_on_usr1,
      N_("After a failure, wait: SIGUSR1 sends the file again, resuming"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      hail_cli_context_error (ctx, error->message);
      return 2;
    }
  if (argc != 3 || max_file_size < 0)
    {
      hail_cli_context_error (ctx, argc != 3 ? _("send-file takes a URI and a FILE")
                                             : _("--max-file-size must be positive"));
      return 2;
    }
  uri = hail_cli_context_parse_uri (ctx, argv[1]);
  if (uri == NULL)
    return 2;
  if (!g_file_test (argv[2], G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a readable file"), argv[2]);

      hail_cli_context_error (ctx, message);
      return 2;
    }
  run.file = g_file_new_for_commandline_arg (argv[2]);
  /* The SHA-256 the receiver's `file-received` can be checked against. */
  run.sha256 = hail_cli_file_sha256 (run.file, &run.size, &error);
  if (run.sha256 == NULL)
    {
      hail_cli_context_error (ctx, error->message);
      g_clear_object (&run.file);
      return 2;
    }
  if (!hail_cli_context_prepare (ctx, NULL))
    {
      g_clear_object (&run.file);
      g_free (run.sha256);
      return ctx->exit_code;
    }
  run.to = g_strdup (hail_sip_uri_to_string (uri));
  /* No history: a file transfer is not a text of the conversation. */
  run.chat = hail_chat_new (ctx->account, NULL);
  if (max_file_size > 0)
    hail_chat_set_max_file_size (run.chat, (guint64) max_file_size);
  g_signal_connect (run.chat, "transfer-added", G_CALLBACK (transfer_added_cb), ctx);
  g_signal_connect (run.chat, "file-progress", G_CALLBACK (progress_cb), ctx);
  ctx->command_data = &run;
  ctx->on_stop = stop;
  if (run.resume_on_usr1)
    run.usr1_id = g_unix_signal_add (SIGUSR1, usr1_cb, ctx);
  hail_cli_context_register (ctx, registered);
  code = hail_cli_context_run (ctx);
  g_clear_handle_id (&run.usr1_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (run.chat, ctx);
  g_clear_object (&run.transfer);
  hail_cli_chat_close_sessions (run.chat);
  g_clear_object (&run.chat);
  g_clear_object (&run.file);
  g_free (run.to);
  g_free (run.sha256);
  return code;
}
