/* Runs each portable kernel on fixed pseudo-random inputs and prints one line per case: its name
   and a hash of its output bits. tools/check-portable-kernels-arm64 compares the lines of the
   aarch64 build (under qemu) with those of the x86-64 build. With an argument, also prints every
   output value of the cases whose name contains it. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void check_vector_math(int32_t function, const float *x, float *y, long count);
void check_matrix_product(const float *a, const float *b, float *y, long m, long k, long n, long slice);
void check_depthwise(int32_t chained, const float *plane, long padded_width, const float *weights, const long *tap_offsets,
                     long taps, long out_height, long out_width, float *y);
void check_int8_rows(const uint8_t *a, const uint8_t *high, long quads, const void *pair, int32_t *out);
void check_fft(long count, const float *input, float *output);

static uint64_t state = 88172645463325252ull;
static uint32_t next(void) {
    state ^= state << 13; state ^= state >> 7; state ^= state << 17;
    return (uint32_t)(state >> 32);
}
static float uniform(float scale) { return ((float)(next() >> 8) / 16777216.0f * 2 - 1) * scale; }

static const char *filter;
/* Hashes the output bits. A NaN counts as one value: an operation that makes a new NaN (inf - inf,
   0 * inf) gives the architecture's default NaN, negative on x86-64 and positive on aarch64. */
static void report(const char *name, const void *data, size_t bytes, int is_float) {
    uint64_t hash = 1469598103934665603ull;
    for (size_t i = 0; i < bytes / 4; i++) {
        uint32_t bits;
        memcpy(&bits, (const uint8_t *)data + 4 * i, 4);
        if (is_float && (bits & 0x7fffffffu) > 0x7f800000u) bits = 0x7fc00000u;
        for (int byte = 0; byte < 4; byte++) hash = (hash ^ ((bits >> (8 * byte)) & 0xff)) * 1099511628211ull;
    }
    printf("%-28s %016llx\n", name, (unsigned long long)hash);
    if (filter && strstr(name, filter)) {
        for (size_t i = 0; i < bytes / 4; i++) {
            if (is_float) printf("  %zu %a\n", i, (double)((const float *)data)[i]);
            else printf("  %zu %d\n", i, ((const int32_t *)data)[i]);
        }
    }
}

int main(int argc, char **argv) {
    filter = argc > 1 ? argv[1] : NULL;
    enum { count = 4096 };
    static float x[count], y[count];
    for (int i = 0; i < count; i++) x[i] = uniform(i % 3 == 0 ? 120 : 20);
    const float special[] = { 0, -0.0f, NAN, INFINITY, -INFINITY, 87, -87, 88.8f, -104, 1e-40f, 3e38f, -3e38f, 18.5f, -9.5f };
    for (unsigned i = 0; i < sizeof special / sizeof special[0]; i++) x[i * 7] = special[i];
    const char *functions[] = { "exp", "log", "logistic", "tanh", "shifted-exp" };
    for (int f = 0; f < 5; f++) {
        check_vector_math(f, x, y, count);
        char name[64];
        snprintf(name, sizeof name, "vector-math %s", functions[f]);
        report(name, y, sizeof y, 1);
    }

    static float a[9 * 600], b[600 * 45], product[9 * 45];
    const long shapes[][4] = { { 1, 5, 3, 256 }, { 4, 300, 16, 256 }, { 7, 33, 45, 8 }, { 9, 600, 24, 256 } };
    for (int s = 0; s < 4; s++) {
        long m = shapes[s][0], k = shapes[s][1], n = shapes[s][2];
        for (long i = 0; i < m * k; i++) a[i] = uniform(2);
        for (long i = 0; i < k * n; i++) b[i] = uniform(2);
        check_matrix_product(a, b, product, m, k, n, shapes[s][3]);
        char name[64];
        snprintf(name, sizeof name, "matrix-product %ldx%ldx%ld", m, k, n);
        report(name, product, sizeof(float) * m * n, 1);
    }

    enum { width = 30, height = 9, taps = 15, padded_width = width + 8 + 14 };
    static float plane[(height + 3) * padded_width], weights[taps], out[height * width];
    long offsets[taps];
    for (unsigned i = 0; i < sizeof plane / sizeof plane[0]; i++) plane[i] = uniform(3);
    for (int t = 0; t < taps; t++) { weights[t] = uniform(1); offsets[t] = (t / 5) * padded_width + t % 5; }
    const long outputs[][2] = { { 1, 4 }, { 9, 20 }, { 9, 30 } };
    for (int chained = 0; chained < 2; chained++) {
        for (int s = 0; s < 3; s++) {
            memset(out, 0, sizeof out);
            check_depthwise(chained, plane, padded_width, weights, offsets, taps, outputs[s][0], outputs[s][1], out);
            char name[64];
            snprintf(name, sizeof name, "depthwise%s %ldx%ld", chained ? "-chained" : "", outputs[s][0], outputs[s][1]);
            report(name, out, sizeof(float) * outputs[s][0] * outputs[s][1], 1);
        }
    }

    enum { quads = 24 };
    static uint8_t activations[4 * quads * 4], low[4 * quads * 4], top[4 * quads * 4];
    static int8_t packed[2 * quads * 32];
    static int32_t sums[64];
    for (unsigned i = 0; i < sizeof activations; i++) activations[i] = i % 5 == 0 ? 255 : (uint8_t)next();
    for (unsigned i = 0; i < sizeof packed; i++) packed[i] = i % 3 == 0 ? (i % 2 ? -128 : 127) : (int8_t)next();
    check_int8_rows(activations, NULL, quads, packed, sums);
    report("int8-rows saturating", sums, sizeof sums, 0);
    for (unsigned i = 0; i < sizeof activations; i++) { low[i] = activations[i] & 0x7F; top[i] = activations[i] >> 7; }
    check_int8_rows(low, top, quads, packed, sums);
    report("int8-rows exact", sums, sizeof sums, 0);

    static float signal[512], spectrum[512];
    for (int i = 0; i < 512; i++) signal[i] = uniform(1000);
    const long sizes[] = { 16, 64, 256, 512 };
    for (int s = 0; s < 4; s++) {
        check_fft(sizes[s], signal, spectrum);
        char name[64];
        snprintf(name, sizeof name, "fft %ld", sizes[s]);
        report(name, spectrum, sizeof(float) * sizes[s], 1);
    }
    return 0;
}
