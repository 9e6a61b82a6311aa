package dev.postpurchase.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeUrlsTest {
    @Test
    void hidesPathTokensQueryUserInfoAndFragment() {
        assertThat(SafeUrls.redact(
                        "https://user:pw@app.example.com/webhooks/offers/9f3Kd81/abcDEF/activate?key=abc#frag"))
                .isEqualTo("https://app.example.com/webhooks/offers/***/***/activate?***");
    }

    @Test
    void keepsPlainWordsAndNonDefaultPorts() {
        assertThat(SafeUrls.redact("https://hooks.example:8443/orders/paid"))
                .isEqualTo("https://hooks.example:8443/orders/paid");
        assertThat(SafeUrls.redact("https://[2001:db8::1]/x")).isEqualTo("https://[2001:db8::1]/x");
    }

    @Test
    void neverEchoesInvalidInput() {
        assertThat(SafeUrls.redact("not a url with secret")).isEqualTo(SafeUrls.INVALID);
        assertThat(SafeUrls.redact("https://x.example/a\r\nsecret")).isEqualTo(SafeUrls.INVALID);
        assertThat(SafeUrls.redact((String) null)).isEqualTo(SafeUrls.INVALID);
    }
}
