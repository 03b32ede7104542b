import { describe, expect, test } from "bun:test";
import { errorPage, pageText, signInPage } from "./sign-in-page.ts";
import { SIGN_IN_TEXT, signInLocale } from "./sign-in-text.ts";

describe("the sign-in page's language", () => {
  test("is the first of ui_locales it speaks, a region counting as its language", () => {
    expect(signInLocale("ko", undefined)).toBe("ko");
    expect(signInLocale("fr-CA ko-KR en", "en")).toBe("ko");
    expect(signInLocale("en", "ko")).toBe("en");
  });

  test("without ui_locales, the browser's Accept-Language by weight; else English", () => {
    expect(signInLocale(undefined, "ko-KR,ko;q=0.9,en;q=0.8")).toBe("ko");
    expect(signInLocale(undefined, "en;q=0.5, ko;q=0.9")).toBe("ko");
    expect(signInLocale(undefined, "ko;q=0, en")).toBe("en");
    expect(signInLocale(undefined, "fr, de")).toBe("en");
    expect(signInLocale(["ko"], undefined)).toBe("en");
  });

  test("both languages have every text", () => {
    expect(Object.keys(SIGN_IN_TEXT.ko).sort()).toEqual(Object.keys(SIGN_IN_TEXT.en).sort());
  });
});

describe("the sign-in page", () => {
  test("in English by default: Account, Password, Sign in, under lang=en", () => {
    const page = pageText(signInPage({ uid: "u-1" }));
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<label for="account">Account</label>');
    expect(page).toContain('<label for="password">Password</label>');
    expect(page).toContain('<button type="submit">Sign in</button>');
    expect(page).toContain("<h1>");
  });

  test("in Korean when asked, under lang=ko", () => {
    const page = pageText(signInPage({ uid: "u-1", locale: "ko", error: SIGN_IN_TEXT.ko.wrong }));
    expect(page).toContain('<html lang="ko">');
    expect(page).toContain('<label for="account">계정</label>');
    expect(page).toContain('<label for="password">비밀번호</label>');
    expect(page).toContain('<button type="submit">로그인</button>');
    expect(page).toContain("계정 또는 비밀번호가 올바르지 않습니다.");
  });

  test("loads nothing: no script, stylesheet, image or font from anywhere", () => {
    for (const page of [pageText(signInPage({ uid: "u-1", locale: "ko" })), errorPage("gone", "ko")]) {
      // The one link is the empty inline icon, which keeps browsers from asking for /favicon.ico.
      expect(page).not.toMatch(/<script|<link(?! rel="icon" href="data:,">)|<img|src=|url\(|@import/i);
    }
  });

  test("escapes what it repeats", () => {
    expect(pageText(signInPage({ uid: "u-1", account: '"><script>' }))).toContain('value="&quot;&gt;&lt;script&gt;"');
  });
});
