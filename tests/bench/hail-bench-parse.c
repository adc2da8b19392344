/* hail-bench-parse.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parser benchmark: loads every file of a directory (one message each) and
 * times parse + reading Via, From, To, CSeq, Call-ID and the first Contact +
 * free, the work a UA does for each message it receives.
 *
 *   hail-bench-parse [-t SECONDS] [-V] [-n ITERATIONS] CORPUS_DIR
 *
 * Default: one line "hail msgs_per_s=N ns_per_msg=N MBps=N", the median of 5
 * timed runs sharing SECONDS (default 5). -V: one line per file instead. -n:
 * parse the corpus ITERATIONS times without timing, for callgrind (compare
 * -n 0 and -n 100 to subtract the loading cost).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "hail-sip-message.h"

typedef struct {
  GPtrArray *names;
  GPtrArray *messages;   /* GBytes */
  gsize      total_bytes;
} Corpus;

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
load_corpus (Corpus      *corpus,
             const char  *path,
             GError     **error)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, error);
  const char *name;

  if (dir == NULL)
    return FALSE;
  corpus->names = g_ptr_array_new_with_free_func (g_free);
  corpus->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (corpus->names, g_strdup (name));
  g_ptr_array_sort (corpus->names, compare_names);
  for (guint i = 0; i < corpus->names->len; i++)
    {
      g_autofree char *file = g_build_filename (path, corpus->names->pdata[i], NULL);
      char *contents = NULL;
      gsize len = 0;

      if (!g_file_get_contents (file, &contents, &len, error))
        return FALSE;
      g_ptr_array_add (corpus->messages, g_bytes_new_take (contents, len));
      corpus->total_bytes += len;
    }
  return corpus->messages->len > 0;
}

/* The measured work; returns something derived from every field so that
 * nothing is optimised away. */
static gsize
parse_one (GBytes *bytes)
{
  g_autoptr(HailSipMessage) msg = NULL;
  const HailSipNameAddr *from, *to;
  const HailSipCSeq *cseq;
  HailSipNameAddr contact;
  HailSipVia via;
  gsize sum = 0;

  msg = hail_sip_message_parse (bytes, HAIL_SIP_PARSE_DATAGRAM, NULL, NULL, NULL);
  if (msg == NULL)
    return 1;
  if (hail_sip_message_get_via (msg, 0, &via))
    sum += via.host.len + via.branch.len;
  from = hail_sip_message_get_from (msg);
  to = hail_sip_message_get_to (msg);
  cseq = hail_sip_message_get_cseq (msg);
  if (from != NULL)
    sum += from->tag.len;
  if (to != NULL)
    sum += to->tag.len;
  if (cseq != NULL)
    sum += cseq->number;
  sum += hail_sip_message_get_call_id (msg).len;
  if (hail_sip_message_get_contact (msg, 0, &contact))
    sum += contact.uri_view.host.len;
  return sum;
}

static gsize
run_corpus (const Corpus *corpus)
{
  gsize sum = 0;

  for (guint i = 0; i < corpus->messages->len; i++)
    sum += parse_one (corpus->messages->pdata[i]);
  return sum;
}

static void
print_span (HailSipSpan span)
{
  if (span.ptr == NULL || span.len == 0)
    fputs (" -", stdout);
  else
    printf (" %.*s", (int) span.len, span.ptr);
}

static void
print_verbose (const Corpus *corpus)
{
  for (guint i = 0; i < corpus->messages->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HailSipMessage) msg = hail_sip_message_parse (corpus->messages->pdata[i],
                                                              HAIL_SIP_PARSE_DATAGRAM, NULL,
                                                              NULL, &error);
      const HailSipCSeq *cseq;
      HailSipNameAddr contact;
      HailSipVia via = { { NULL, 0 }, };

      if (msg == NULL)
        {
          printf ("FAIL %s\n", error->message);
          continue;
        }
      if (hail_sip_message_is_request (msg))
        printf ("%.*s", (int) hail_sip_message_get_method (msg).len,
                hail_sip_message_get_method (msg).ptr);
      else
        printf ("%u", hail_sip_message_get_status (msg));
      cseq = hail_sip_message_get_cseq (msg);
      printf (" %u", cseq != NULL ? cseq->number : 0);
      print_span (hail_sip_message_get_call_id (msg));
      print_span (hail_sip_message_get_from (msg) != NULL ? hail_sip_message_get_from (msg)->tag
                  : HAIL_SIP_SPAN_NONE);
      print_span (hail_sip_message_get_to (msg) != NULL ? hail_sip_message_get_to (msg)->tag
                  : HAIL_SIP_SPAN_NONE);
      printf (" %u", hail_sip_message_get_n_vias (msg));
      hail_sip_message_get_via (msg, 0, &via);
      print_span (via.host);
      print_span (via.branch);
      printf (" %u", hail_sip_message_get_n_contacts (msg));
      if (hail_sip_message_get_contact (msg, 0, &contact))
        print_span (contact.uri_view.host);
      else
        print_span (HAIL_SIP_SPAN_NONE);
      printf (" %" G_GSIZE_FORMAT "\n", hail_sip_message_get_body (msg).len);
    }
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("CORPUS_DIR");
  g_autoptr(GError) error = NULL;
  double seconds = 5;
  gboolean verbose = FALSE;
  gint iterations = -1;
  GOptionEntry entries[] = {
    { "time", 't', 0, G_OPTION_ARG_DOUBLE, &seconds, "Seconds for the 5 timed runs", "S" },
    { "verbose", 'V', 0, G_OPTION_ARG_NONE, &verbose, "One line of fields per file", NULL },
    { "iterations", 'n', 0, G_OPTION_ARG_INT, &iterations, "Untimed passes", "N" },
    { NULL, },
  };
  Corpus corpus = { NULL, };
  double rates[5];
  volatile gsize sink = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("usage: hail-bench-parse [-t SECONDS] [-V] [-n N] CORPUS_DIR\n");
      return 2;
    }
  if (!load_corpus (&corpus, argv[1], &error))
    {
      g_printerr ("cannot load %s: %s\n", argv[1], error != NULL ? error->message : "empty");
      return 1;
    }

  if (verbose)
    print_verbose (&corpus);
  else if (iterations >= 0)
    {
      for (gint i = 0; i < iterations; i++)
        sink += run_corpus (&corpus);
      printf ("hail iterations=%d messages=%u\n", iterations,
              iterations * corpus.messages->len);
    }
  else
    {
      for (guint run = 0; run < G_N_ELEMENTS (rates); run++)
        {
          gint64 start = g_get_monotonic_time ();
          gint64 deadline = start + (gint64) (seconds / G_N_ELEMENTS (rates) * G_USEC_PER_SEC);
          guint64 n = 0;
          gint64 now;

          do
            {
              sink += run_corpus (&corpus);
              n += corpus.messages->len;
              now = g_get_monotonic_time ();
            }
          while (now < deadline);
          rates[run] = n / ((now - start) / (double) G_USEC_PER_SEC);
        }
      qsort (rates, G_N_ELEMENTS (rates), sizeof rates[0], compare_doubles);
      printf ("hail msgs_per_s=%.0f ns_per_msg=%.0f MBps=%.1f\n", rates[2], 1e9 / rates[2],
              rates[2] * corpus.total_bytes / corpus.messages->len / 1e6);
    }
  g_ptr_array_unref (corpus.messages);
  g_ptr_array_unref (corpus.names);
  (void) sink;
  return 0;
}
