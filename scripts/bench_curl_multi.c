/* The ceiling reference for the engine: a bare C closed loop on libcurl's own poll loop
 * (curl_multi_poll), N connections, each re-sending the same POST as soon as its answer is in.
 * No records, no statistics: what libcurl itself costs per request on this machine.
 * Usage: bench_curl_multi URL CONNECTIONS SECONDS  -> prints "completed seconds". Loopback only.
 *        bench_curl_multi URL TRANSFERS SECONDS h2 CONNECTIONS [CACERT]: HTTP/2 instead (prior knowledge over
 *        http, ALPN over https), TRANSFERS at once multiplexed over at most CONNECTIONS connections: libcurl's
 *        own HTTP/2 ceiling, beside h2load (scripts/lib/bench_libcurls.py). */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char body[] = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}], \"stream\": false}";

static size_t discard(char *data, size_t size, size_t count, void *user) {
    (void)data; (void)user;
    return size * count;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 4 && !(argc >= 6 && argc <= 7 && strcmp(argv[4], "h2") == 0)) {
        fprintf(stderr, "usage: %s URL CONNECTIONS SECONDS [h2 CONNECTIONS [CACERT]]\n", argv[0]);
        return 2;
    }
    int connections = atoi(argv[2]);
    double seconds = atof(argv[3]);
    int http2 = argc >= 6;
    curl_global_init(CURL_GLOBAL_ALL);
    CURLM *multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, (long)connections);
    if (http2) {
        curl_multi_setopt(multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
        curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, atol(argv[5]));
        curl_multi_setopt(multi, CURLMOPT_MAX_CONCURRENT_STREAMS, 1000L);
    }
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Authorization: Bearer bench-token");
    for (int i = 0; i < connections; i++) {
        CURL *easy = curl_easy_init();
        curl_easy_setopt(easy, CURLOPT_URL, argv[1]);
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, (long)(sizeof body - 1));
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
        if (http2) {
            int tls = strncmp(argv[1], "https:", 6) == 0;
            curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, tls ? (long)CURL_HTTP_VERSION_2TLS : (long)CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
            curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);
            if (argc == 7) curl_easy_setopt(easy, CURLOPT_CAINFO, argv[6]);
        }
        curl_multi_add_handle(multi, easy);
    }
    long completed = 0;
    double start = now(), end = start + seconds;
    int running = connections;
    while (running > 0) {
        curl_multi_perform(multi, &running);
        CURLMsg *message;
        int left;
        while ((message = curl_multi_info_read(multi, &left))) {
            if (message->msg != CURLMSG_DONE) continue;
            CURL *easy = message->easy_handle;
            curl_multi_remove_handle(multi, easy);
            if (message->data.result == CURLE_OK) completed++;
            if (now() < end) { curl_multi_add_handle(multi, easy); running++; }
        }
        if (running > 0) curl_multi_poll(multi, NULL, 0, 100, NULL);
    }
    printf("%ld %.3f\n", completed, now() - start);
    return 0;
}
