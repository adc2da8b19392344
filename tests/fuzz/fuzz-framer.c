/* fuzz-framer.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feeds the input to a HailSipFramer twice: whole, and in chunks whose sizes
 * come from the input itself. Both runs must cut the same messages and end
 * in the same state; every message must stay within the bounds and end where
 * its header section and Content-Length say.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "hail-sip-error.h"
#include "hail-sip-framer.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct {
  GPtrArray *messages;
  int        code;       /* The error that ended the run; INCOMPLETE if none. */
  gsize      frame_bytes;
} Run;

static void
check_message (GBytes *message)
{
  gsize len = 0;
  const char *p = g_bytes_get_data (message, &len);
  gsize end = 0;

  /* Messages may hold NULs (the parser rejects them), so no string search. */
  for (gsize i = 0; i + 4 <= len && end == 0; i++)
    if (memcmp (p + i, "\r\n\r\n", 4) == 0)
      end = i + 4;
  g_assert (len <= HAIL_SIP_MAX_MESSAGE_SIZE);
  g_assert (len > 0 && p[0] != '\r');
  g_assert (end != 0);
  g_assert (end <= HAIL_SIP_MAX_HEADER_SIZE);
}

/* Takes every frame out; returns FALSE once the framer is broken. */
static gboolean
drain (HailSipFramer *framer,
       Run           *run)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) message = NULL;
      HailSipFrameKind kind;

      if (!hail_sip_framer_next (framer, &kind, &message, &error))
        {
          g_assert (error != NULL && error->domain == HAIL_SIP_ERROR);
          run->code = error->code;
          g_assert (hail_sip_framer_get_buffered (framer) <= HAIL_SIP_MAX_MESSAGE_SIZE);
          return error->code == HAIL_SIP_ERROR_INCOMPLETE;
        }
      if (kind == HAIL_SIP_FRAME_MESSAGE)
        {
          check_message (message);
          run->frame_bytes += g_bytes_get_size (message);
          g_ptr_array_add (run->messages, g_steal_pointer (&message));
        }
      else
        {
          g_assert (message == NULL);
          run->frame_bytes += 2;
        }
    }
}

static void
run_framer (const uint8_t *data,
            size_t         size,
            const uint8_t *sizes,
            size_t         n_sizes,
            Run           *run)
{
  g_autoptr(HailSipFramer) framer = hail_sip_framer_new ();
  size_t pos = 0;
  size_t k = 0;

  run->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  run->code = HAIL_SIP_ERROR_INCOMPLETE;
  while (pos < size)
    {
      g_autoptr(GError) error = NULL;
      size_t want = n_sizes > 0 ? (size_t) sizes[k++ % n_sizes] * 37 + 1 : size;
      size_t n = MIN (MIN (want, size - pos), hail_sip_framer_get_space (framer));

      /* A flow reads at most the space left, so push never fails here. */
      g_assert (n > 0);
      if (!hail_sip_framer_push (framer, data + pos, n, &error))
        g_assert_not_reached ();
      pos += n;
      if (!drain (framer, run))
        break;
    }
  g_assert (run->frame_bytes <= size);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Run whole = { 0 };
  Run chunked = { 0 };

  run_framer (data, size, NULL, 0, &whole);
  run_framer (data, size, data, MIN (size, 64), &chunked);

  g_assert (whole.code == chunked.code);
  g_assert (whole.messages->len == chunked.messages->len);
  for (guint i = 0; i < whole.messages->len; i++)
    g_assert (g_bytes_equal (whole.messages->pdata[i], chunked.messages->pdata[i]));

  g_ptr_array_unref (whole.messages);
  g_ptr_array_unref (chunked.messages);
  return 0;
}
