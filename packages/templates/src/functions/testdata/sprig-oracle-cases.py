# Generates the inputs of sprig-oracle.json: Sprig 3.2.3 function calls over edge-case inputs. The expected
# results come from real Go 1.19 + Sprig 3.2.3 (Debian bookworm), through the engine's oracle tool:
#
#   python3 sprig-oracle-cases.py            # writes cases.json
#   (cd ../../engine/testdata/oracle && GO111MODULE=off GOPATH=/usr/share/gocode go build -o /tmp/sprig-oracle .)
#   /tmp/sprig-oracle < cases.json > oracle.json
#
# then merge cases.json and oracle.json into sprig-oracle.json ({contexts, cases: [{template, ctx?, output | error}]}),
# leaving out the two cases JavaScript strings cannot reproduce (see the package README). The "fasit" context cases
# pipe every field of the conformance corpus's Fasit-like context into every function (`{{ .Env.zones | first }}`);
# `env`, and `keys`/`values` (random order in Go), are left out of those.
import json
T = []
def c(t, data=None):
    T.append({"name": f"c{len(T)}", "template": t, "data": data})
ctx = {"s": "Hello World", "n": 3, "f": 2.5, "big": 123456789012, "neg": -7.5, "nul": None, "b": True, "l": ["b", "a", "c"], "m": {"z": 1, "a": "x", "k": None}, "nums": [1, 2, 3], "e": "", "zero": 0, "ml": "line1\nline2", "u": "héllo wörld ß", "envs": [{"name": "dev", "kind": "tenant", "p": "p1"}, {"name": "prod", "kind": "tenant", "p": None}, {"name": "m", "kind": "management"}]}
strs = ["", "a", "Hello World", "  padded\t\n", "fooBar", "HTTPServerName", "Env Name 2", "already_snake", "foo-bar_baz qux", "HTTP2xx", "Bld4Floor", "a1b2", "__x__", "_", "ÀÉ élan ß", "x.Y.z", "ABC", "aBC", "Ab1Cd", "getHTTPResponseCode", "snake_Case-Mixed Words", "tab\there", "123abc", "ǆemal", "hello, world!", " ", "İ", "mIxEd CaSe words"]
for s in strs:
    js = json.dumps(s)
    for fn in ["upper", "lower", "title", "untitle", "snakecase", "camelcase", "kebabcase", "swapcase", "initials", "nospace", "trim", "quote", "squote", "toString", "b64enc", "b32enc", "sha1sum", "adler32sum", "base", "dir", "clean", "ext", "regexQuoteMeta"]:
        c("{{ %s %s }}" % (fn, js))
    for n in [-20, -3, 0, 2, 3, 5, 8, 30]:
        c("{{ trunc %d %s }}" % (n, js))
        c("{{ abbrev %d %s }}" % (n, js))
        c("{{ wrap %d %s }}" % (n, js))
        c("{{ wrapWith %d \"|\" %s }}" % (n, js))
    c("{{ abbrevboth 5 10 %s }}" % js)
    c("{{ abbrevboth 2 8 %s }}" % js)
    c("{{ substr 1 3 %s }}" % js)
    c("{{ substr 2 -1 %s }}" % js)
    c("{{ trimAll \"_ \" %s }}" % js)
    c("{{ splitList \" \" %s }}" % js)
    c("{{ splitn \"_\" 2 %s }}" % js)
    c("{{ split \"\" %s }}" % js)
    c("{{ replace \"a\" \"-\" %s }}" % js)
    c("{{ indent 2 %s }}" % js)
    c("{{ nindent 1 %s }}" % js)
    c("{{ cat %s nil 1 2.5 }}" % js)
    c("{{ b64enc %s | b64dec }}" % js)
    c("{{ b32enc %s | b32dec }}" % js)
    c("{{ toJson %s }}" % js)
    c("{{ toRawJson %s }}" % js)
    c("{{ kebabcase %s }}|{{ snakecase %s }}" % (js, js))
for t in ["{{ b64dec \"a\" }}", "{{ b64dec \"ab\" }}", "{{ b64dec \"abc\" }}", "{{ b64dec \"ab=\" }}", "{{ b64dec \"ab==x\" }}", "{{ b64dec \"=\" }}", "{{ b64dec \"a===\" }}", "{{ b64dec \"aGk=\" }}", "{{ b64dec \"aG!k\" }}",
          "{{ b32dec \"N\" }}", "{{ b32dec \"NB\" }}", "{{ b32dec \"NBUQ==\" }}", "{{ b32dec \"NBUQ====x\" }}", "{{ b32dec \"nbuq====\" }}", "{{ b32dec \"MFRW2ZI\" }}", "{{ b32dec \"MFRW2=I=\" }}", "{{ b32dec \"1BUQ====\" }}"]:
    c(t)
# numbers / conversion
vals = ["0", "1", "-1", "2.5", "-2.5", "1e3", "\"42\"", "\"08\"", "\"010\"", "\"0x1F\"", "\"0b11\"", "\"0o17\"", "\"1_000\"", "\"3.0\"", "\"3.50\"", "\"-3\"", "\"+4\"", "\" 5\"", "\"abc\"", "\"1e3\"", "\"inf\"", "\"0x1p4\"", "true", "false", "nil", ".f", ".big", ".neg", ".nul", ".l", ".m", ".e", "(list 1)", "\"9223372036854775807\"", "\"9223372036854775808\"", "\"-0\"", "\".5\"", "\"5.\""]
for v in vals:
    for fn in ["int", "int64", "float64", "toString", "add1", "floor", "ceil", "toDecimal", "empty", "kindOf", "typeOf", "add1f", "toJson", "quote", "squote", "default 9"]:
        c("{{ %s %s }}" % (fn, v), ctx)
    c("{{ add %s 1 }} {{ sub %s 1 }} {{ mul %s 3 }} {{ max %s 2 }} {{ min %s 2 }}" % (v, v, v, v, v), ctx)
    c("{{ addf %s 1 }} {{ subf %s 1 }} {{ mulf %s 3 }} {{ divf %s 4 }} {{ maxf %s 2 }} {{ minf %s 2 }}" % (v, v, v, v, v, v), ctx)
    c("{{ round %s 1 }} {{ round %s 0 }}" % (v, v), ctx)
for a in ["\"42\"", "\"-7\"", "\"08\"", "\"1.5\"", "\" 3\"", "\"+3\"", "\"0x10\"", "\"\""]:
    c("{{ atoi %s }}" % a)
for t in ["{{ divf 1 3 }}", "{{ divf 2 3 }}", "{{ divf 10 3 }}", "{{ divf 1 7 }}", "{{ divf 100 7 }}", "{{ divf 0.1 0.3 }}", "{{ mulf 1.1 1.1 }}", "{{ addf 0.1 0.2 0.3 }}", "{{ subf 0.3 0.1 }}", "{{ mulf 3 0.1 }}", "{{ divf 1e10 3 }}", "{{ divf 1 3e-5 }}", "{{ divf 5 0 }}", "{{ mulf 123456789.123 1000 }}", "{{ addf 1e20 1 }}", "{{ divf -1 3 }}", "{{ divf 2 -3 }}",
          "{{ div 7 -2 }}", "{{ mod -7 2 }}", "{{ mod 7 0 }}", "{{ round 2.345 2 }}", "{{ round -2.5 0 }}", "{{ round 1.005 2 }}", "{{ round 5 -1 }}", "{{ biggest 1 2 }}", "{{ max 1 }}", "{{ min 2.9 }}",
          "{{ seq 1 }}", "{{ seq -3 }}", "{{ seq 5 -2 -5 }}", "{{ seq 1 0 3 }}", "{{ seq 1 2 3 4 }}", "{{ seq 0 -2 -5 }}", "{{ untilStep 10 0 -3 }}", "{{ until 0 }}",
          "{{ toDecimal 777 }}", "{{ toDecimal \"-17\" }}", "{{ toDecimal 1.5 }}", "{{ duration \"95\" }} {{ duration 95 }} {{ duration (int64 95) }} {{ duration \"-3661\" }} {{ duration \"x\" }}",
          "{{ durationRound \"2h10m\" }} {{ durationRound \"-90s\" }} {{ durationRound \"400d\" }} {{ durationRound (int64 3600000000001) }} {{ durationRound \"1.5s\" }} {{ durationRound \"35d\" }} {{ durationRound \"8760h1s\" }}"]:
    c(t)
# lists
lists = ["(list)", "(list 1 2 3)", "(list \"b\" \"a\" nil \"c\" \"a\")", ".l", ".nums", "(list 1 1.0 \"1\" nil true)", "(splitList \",\" \"x,y,x\")", "(until 4)", "(list (list 1) (dict \"a\" 1) (list 1))"]
for l in lists:
    for fn in ["first", "last", "rest", "initial", "reverse", "uniq", "compact", "sortAlpha", "toStrings", "toJson", "len", "empty", "typeOf", "join \"-\"", "toPrettyJson"]:
        c("{{ %s %s }}" % (fn, l) if not fn.startswith("join") else "{{ join \"-\" %s }}" % l, ctx)
    c("{{ append %s 9 }} {{ prepend %s 0 }} {{ without %s 1 \"a\" }} {{ has 1 %s }} {{ has \"a\" %s }}" % (l, l, l, l, l), ctx)
    c("{{ slice %s 1 }} {{ slice %s 0 1 }} {{ concat %s %s }}" % (l, l, l, l), ctx)
    c("{{ chunk 2 %s }} {{ chunk 1 %s }}" % (l, l), ctx)
for t in ["{{ slice (list 1 2) 1 1 }}", "{{ slice (list 1 2 3) 2 1 }}", "{{ slice (list 1 2) 0 3 }}", "{{ slice (list 1 2) -1 }}", "{{ chunk 0 (list 1) }}", "{{ chunk -1 (list) }}", "{{ chunk 3 (list 1 2 3 4 5 6 7) }}", "{{ first nil }}", "{{ append nil 1 }}", "{{ concat (list 1) nil }}", "{{ has 1 nil }}", "{{ without nil }}", "{{ reverse \"abc\" }}", "{{ uniq (dict) }}", "{{ compact 1 }}", "{{ slice \"abc\" 1 }}", "{{ sortAlpha nil }}", "{{ sortAlpha 3 }}", "{{ sortAlpha (list 10 9 1 \"B\" \"a\") }}"]:
    c(t, ctx)
# dicts
for t in ["{{ dict }}", "{{ dict \"a\" 1 \"a\" 2 }}", "{{ dict nil 1 }}", "{{ dict 1.5 \"x\" (list 1) 2 }}", "{{ get .m \"k\" }}|{{ get .m \"nope\" }}", "{{ hasKey .m \"k\" }}", "{{ keys .m | sortAlpha }}", "{{ keys .m (dict \"q\" 1) | sortAlpha }}", "{{ values .m | len }}", "{{ pick .m \"a\" \"nope\" }}", "{{ omit .m \"a\" }}", "{{ pluck \"name\" (index .envs 0) (index .envs 1) }}",
          "{{ dig \"a\" \"b\" \"def\" (dict \"a\" (dict \"b\" nil)) }}", "{{ dig \"a\" \"b\" \"def\" (dict \"a\" nil) }}", "{{ dig \"a\" \"def\" (dict) }}", "{{ dig \"a\" \"b\" \"def\" (dict \"a\" (dict)) }}", "{{ dig 1 \"def\" (dict) }}", "{{ dig \"a\" \"def\" .l }}",
          "{{ merge (dict \"a\" 1) nil | toJson }}", "{{ merge nil (dict \"a\" 1) | toJson }}", "{{ merge (dict \"a\" (list 1)) (dict \"a\" (list 2 3)) | toJson }}", "{{ merge (dict \"a\" (list)) (dict \"a\" (list 2 3)) | toJson }}", "{{ merge (dict \"a\" \"\") (dict \"a\" (dict \"b\" 1)) | toJson }}",
          "{{ merge (dict \"a\" (dict \"x\" 1)) (dict \"a\" \"str\") | toJson }}", "{{ mergeOverwrite (dict \"a\" (dict \"x\" 1)) (dict \"a\" \"str\") | toJson }}", "{{ mergeOverwrite (dict \"a\" (list 1)) (dict \"a\" (dict \"b\" 1)) | toJson }}", "{{ mergeOverwrite (dict \"a\" (dict)) (dict \"a\" (dict \"b\" 1)) | toJson }}",
          "{{ mergeOverwrite (dict \"a\" 1 \"b\" 2) (dict \"a\" nil) (dict \"b\" 0) | toJson }}", "{{ merge (dict \"a\" 1) (dict \"a\" nil \"c\" nil) | toJson }}", "{{ merge (dict \"a\" nil) (dict \"a\" 5) | toJson }}", "{{ mergeOverwrite (dict) (dict \"l\" (list)) | toJson }}", "{{ merge (dict \"l\" (list 1)) (dict \"l\" nil) | toJson }}",
          "{{ $d := dict \"x\" 1 }}{{ $_ := mergeOverwrite $d (dict \"y\" 2) }}{{ $d | toJson }}", "{{ $n := dict \"in\" 1 }}{{ $d := dict \"n\" $n }}{{ $_ := merge $d (dict \"n\" (dict \"in2\" 2)) }}{{ $n | toJson }}",
          "{{ deepCopy .m | toJson }}", "{{ deepCopy nil }}", "{{ deepCopy 3 }}", "{{ set (dict) \"a\" 1 }}", "{{ unset (dict \"a\" 1) \"a\" }}", "{{ $m := dict }}{{ $_ := set $m \"k\" nil }}{{ hasKey $m \"k\" }}",
          "{{ urlParse \"http://a.b/c?d=e#f\" | toJson }}", "{{ urlParse \"//host/p\" | toJson }}", "{{ urlParse \"rel/path\" | toJson }}", "{{ urlParse \"HTTP://User@Host:1/%41\" | toJson }}", "{{ urlParse \"mailto:a@b\" | toJson }}", "{{ urlParse \"http://h/a b\" | toJson }}", "{{ urlParse \"http://[fe80::1%25en0]:8080/\" | toJson }}", "{{ urlParse \"a:b\" | toJson }}", "{{ urlParse \"?q\" | toJson }}", "{{ urlParse \"http://h:x\" }}", "{{ urlParse \"http://u:p%40@h/\" | toJson }}",
          "{{ urlJoin (dict \"scheme\" \"http\" \"host\" \"h\" \"path\" \"p\") }}", "{{ urlJoin (dict \"path\" \"/a?b#c\" \"fragment\" \"x y\" \"query\" \"a=b c\") }}", "{{ urlJoin (dict \"userinfo\" \"u@x:p\" \"host\" \"h\") }}", "{{ urlJoin (dict \"opaque\" \"x:y\" \"scheme\" \"urn\") }}", "{{ urlJoin (dict \"host\" \"h/x\" \"scheme\" \"s\") }}", "{{ urlJoin (dict \"scheme\" \"http\" \"path\" \"/x\") }}", "{{ urlJoin (dict) }}"]:
    c(t, ctx)
# regex
for t in ["{{ regexFindAll \"a*\" \"baaac\" -1 }}", "{{ regexFindAll \"\" \"abc\" -1 }}", "{{ regexFindAll \"a|\" \"bab\" -1 }}", "{{ regexReplaceAll \"a*\" \"baaac\" \"-\" }}", "{{ regexReplaceAll \"\" \"abc\" \"-\" }}", "{{ regexReplaceAll \"(?i)B\" \"abcB\" \"x\" }}", "{{ regexSplit \"a*\" \"baaac\" -1 }}", "{{ regexSplit \"\" \"abc\" 2 }}", "{{ regexSplit \"b\" \"abc\" 0 }}", "{{ regexSplit \"x*\" \"\" -1 }}", "{{ regexSplit \"\" \"\" -1 }}",
          "{{ regexReplaceAll \"(\\\\w+)@(\\\\w+)\" \"a@b c@d\" \"$2@$1\" }}", "{{ regexReplaceAll \"(?P<u>\\\\w+)@\" \"a@b\" \"${u}!$u\" }}", "{{ regexReplaceAll \"(a)\" \"a\" \"$0-$1-$2-$10-${1\" }}", "{{ regexReplaceAll \"(a)\" \"a\" \"$01 $x $\" }}",
          "{{ regexMatch \"^\\\\d+$\" \"١٢\" }}", "{{ regexMatch \"\\\\w\" \"é\" }}", "{{ regexMatch \"(?i)straße\" \"STRASSE\" }}", "{{ regexMatch \"(?i)k\" \"\\u212a\" }}", "{{ regexMatch \"\\\\bfoo\\\\b\" \"a foo.\" }}", "{{ regexMatch \"[[:upper:]]\" \"a\" }}", "{{ regexMatch \"\\\\pN\" \"x5\" }}", "{{ regexMatch \"\\\\p{Lu}\" \"É\" }}",
          "{{ regexFind \"a.c\" \"a\\u2028c\" }}", "{{ regexFind \"(?s:a.c)\" \"a\\nc\" }}", "{{ regexFind \"[^a]\" \"\\n\" }}", "{{ regexFind \"x{2,}\" \"xxxx\" }}", "{{ regexFind \"x{2,3}?\" \"xxxx\" }}", "{{ regexFind \"(?U)x{2,3}\" \"xxxx\" }}", "{{ regexFind \"(?U)x+?\" \"xxxx\" }}",
          "{{ regexFind \"\\\\x41\\\\x{42}\\\\101\" \"ABA\" }}", "{{ regexFind \"[\\\\d\\\\-]+\" \"a-1-2b\" }}", "{{ regexFind \"[\\\\S]+\" \" ab \" }}", "{{ regexFind \"[^\\\\s]+\" \" ab \" }}", "{{ regexFind \"\\\\Qa.b\\\\E+\" \"a.bbb\" }}", "{{ regexFind \"a\\\\.\" \"a.\" }}", "{{ regexFind \"\\\\/\\\\-\\\\!\" \"/-!\" }}",
          "{{ regexMatch \"a{,2}\" \"a{,2}\" }}", "{{ regexMatch \"x{1001}\" \"x\" }}", "{{ regexMatch \"(?P<n>a)(?P<n>b)\" \"ab\" }}", "{{ regexMatch \"\\\\8\" \"8\" }}", "{{ regexMatch \"[a\" \"a\" }}", "{{ regexMatch \"a)\" \"a\" }}", "{{ regexMatch \"(?<x>a)\" \"a\" }}", "{{ regexMatch \"\\\\C\" \"a\" }}", "{{ regexMatch \"a++\" \"a\" }}", "{{ regexMatch \"^*\" \"a\" }}", "{{ regexMatch \"\\\\z\" \"\" }}",
          "{{ regexFindAll \"[0-9]+\" \"1 22 333\" 2 }}", "{{ regexFindAll \"[0-9]+\" \"1 22 333\" 0 }}", "{{ regexReplaceAllLiteral \"\\\\s\" \"a b\\tc\" \"$0\" }}", "{{ regexFind \"^$\" \"\" }}|{{ regexFindAll \"^\" \"ab\" -1 | len }}", "{{ regexFindAll \"(?m)^\\\\w\" \"ab\\ncd\\n\" -1 }}", "{{ regexFindAll \"$\" \"a\\n\" -1 | len }}", "{{ regexFindAll \"(?m)$\" \"a\\nb\" -1 | len }}",
          "{{ regexMatch \"[[:word:]]+\" \"_\" }} {{ regexMatch \"[[:^alpha:]]\" \"ab\" }} {{ regexMatch \"[^[:alpha:]]\" \"ab1\" }}", "{{ regexFind \"😀+\" \"x😀😀\" }}", "{{ regexFindAll \".\" \"a😀b\" -1 }}", "{{ regexReplaceAll \"\" \"😀\" \"-\" }}", "{{ regexSplit \"\" \"a😀\" -1 }}"]:
    c(t)
# semver
for cons, ver in [("^1.2.3", "1.2.3"), ("^0.0", "0.0.5"), ("^0", "0.9.0"), ("^0.1", "0.1.9"), ("^1.x", "1.5.0"), ("~1", "1.5.0"), ("~1.2", "1.2.9"), ("~0", "0.5.0"), ("~>1.2.3", "1.2.5"), (">1.2.3-alpha", "1.2.3-beta"), (">1.2.3-alpha", "1.2.4"), ("<1.2.3-beta", "1.2.3-alpha"), ("<=1.x", "1.9.9"), ("<=1.2.x", "1.3.0"), (">=1.2", "1.2.0"), ("!=1.2.x", "1.2.9"), ("!=1.2.x", "1.3.0"), ("!=1.x", "2.0.0"), ("1.2 - 1.4.5", "1.4.6"), ("1.2 - 1.4.5", "1.3.0"), ("x", "0.0.1"), ("", "1.0.0"), (">=1.0, <2.0 || >3", "3.1.0"), ("1.2.3 || 2.x", "2.3.4"), ("=1.2.3", "1.2.3+meta"), ("v1.2.3", "1.2.3"), ("> 1.2", "1.3.0"), (">1.2", "1.2.9"), (">1", "1.9.0"), (">1", "2.0.0"), ("<1.2", "1.1.9"), ("<1", "0.9.0"), ("<=1.2", "1.3.0"), ("^1.2.3", "1.2.3-beta"), ("^1.2.3-0", "1.2.3-beta"), ("~1.2.3-beta", "1.2.3-alpha"), ("1.2.3-beta", "1.2.3-beta"), (">=1.2.3-beta.2", "1.2.3-beta.10"), ("*", "1.0.0-rc"), (">=0.0.0-0", "1.0.0-rc"), ("=1.x", "1.0.0"), ("1.2.*", "1.2.7"), ("01.2.3", "1.2.3"), ("1.2.3 - x", "9.0.0"), (">=1.2.3 <1.3", "1.2.9"), (">=1.2.3,<1.3", "1.3.0"), ("^2.x.x", "2.1.0"), ("~2.x", "2.9.0")]:
    c("{{ semverCompare %s %s }}" % (json.dumps(cons), json.dumps(ver)))
for ver in ["1.2.3", "v1", "1.2", "1.2.3-alpha.1+b", "01.02.03", "1.2.3-01", "1.2.3-0a", "1.2.3+0.01", "x", "1.2.3.4", "99999999999999999999.0.0", "1.0.0-"]:
    js = json.dumps(ver)
    c("{{ semver %s }}|{{ (semver %s).Major }}.{{ (semver %s).Minor }}|{{ (semver %s).Original }}|{{ (semver %s).Metadata }}|{{ typeOf (semver %s).Major }}" % (js, js, js, js, js, js))
for a, b in [("1.0.0", "1.0.0-alpha"), ("1.0.0-alpha", "1.0.0-alpha.1"), ("1.0.0-alpha.1", "1.0.0-alpha.beta"), ("1.0.0-beta.2", "1.0.0-beta.11"), ("1.0.0-rc.1", "1.0.0"), ("1.0.0+a", "1.0.0+b"), ("2.0.0", "10.0.0")]:
    c("{{ (semver %s).Compare (semver %s) }} {{ (semver %s).Equal (semver %s) }} {{ (semver %s).GreaterThan (semver %s) }}" % (json.dumps(a), json.dumps(b), json.dumps(a), json.dumps(b), json.dumps(a), json.dumps(b)))
c("{{ (semver \"1.2.3-pre\").IncPatch }} {{ (semver \"1.2.3\").IncMinor }} {{ (semver \"v1.2.3+m\").IncMajor }} {{ typeOf ((semver \"1.2.3\").IncMajor) }} {{ toJson (semver \"v1.2.3\") }}")
# dates (deterministic)
for layout in ["2006-01-02T15:04:05Z07:00", "Mon Jan _2 15:04:05 MST 2006", "02 Jan 06 15:04 -0700", "Monday, 02-Jan-06 15:04:05 MST", "3:04PM", "Jan _2 15:04:05.000000", "2006-01-02 15:04:05.999999999 -0700 MST", ".9 ,000 __2 002 pm PM", "06 1 2 3 4 5"]:
    for ts in ["0", "86399", "1709615289", "-1"]:
        c("{{ date %s %s }}" % (json.dumps(layout), ts))
        c("{{ dateInZone %s %s \"America/New_York\" }}" % (json.dumps(layout), ts))
        c("{{ dateInZone %s %s \"Asia/Kolkata\" }}" % (json.dumps(layout), ts))
for t in ["{{ toDate \"2006-01-02\" \"2024-02-29\" }}", "{{ toDate \"2006-01-02\" \"2023-02-29\" }}", "{{ toDate \"2006-01-02T15:04:05Z07:00\" \"2024-03-05T07:08:09+02:00\" }}", "{{ toDate \"2006-01-02T15:04:05Z07:00\" \"2024-03-05T07:08:09Z\" }}", "{{ toDate \"2006-01-02 15:04:05.000\" \"2024-03-05 07:08:09.123\" }}", "{{ toDate \"2006-01-02 15:04:05\" \"2024-03-05 07:08:09.5\" }}", "{{ toDate \"Jan 2 2006\" \"feb 3 2021\" }}", "{{ toDate \"3:04PM\" \"11:05AM\" }}", "{{ toDate \"2006-01-02 MST\" \"2024-01-01 CET\" }}", "{{ toDate \"2006-01-02\" \"x\" }}", "{{ toDate \"02/01/06\" \"31/12/99\" }}", "{{ toDate \"2006-01-02\" \"2024-1-2\" }}", "{{ toDate \"2006-1-2\" \"2024-01-02\" }}", "{{ toDate \"2006-01-02\" \"2024-01-02 \" }}",
          "{{ toDate \"2006-01-02\" \"2024-05-01\" | unixEpoch }}", "{{ dateModify \"-30m\" (toDate \"2006-01-02\" \"2024-05-01\") }}", "{{ dateModify \"x\" (toDate \"2006-01-02\" \"2024-05-01\") }}", "{{ mustDateModify \"1h1m1s1ms1us1ns\" (toDate \"2006-01-02\" \"2024-05-01\") }}", "{{ htmlDate (toDate \"2006-01-02\" \"2024-05-01\") }}", "{{ htmlDateInZone (toDate \"2006-01-02\" \"2024-05-01\") \"Pacific/Auckland\" }}", "{{ date \"2006\" \"notatime\" | len }}", "{{ dateInZone \"15:04 MST\" 0 \"Europe/Oslo\" }}", "{{ dateInZone \"15:04 MST\" 1720000000 \"Europe/Oslo\" }}", "{{ dateInZone \"MST\" 0 \"Bad/Zone\" }}", "{{ dateInZone \"MST -07\" 0 \"\" }}", "{{ toJson (toDate \"2006-01-02\" \"2024-05-01\") }}", "{{ typeOf (toDate \"2006\" \"2020\") }} {{ kindOf (toDate \"2006\" \"2020\") }}", "{{ mustToDate \"2006\" \"x\" }}"]:
    c(t)
# reflection, defaults, json
for t in ["{{ kindOf (semver \"1.0.0\") }} {{ typeOf (split \",\" \"a\") }} {{ kindOf (split \",\" \"a\") }} {{ typeOf (chunk 1 (list 1)) }} {{ typeOf (regexSplit \"a\" \"b\" -1) }}", "{{ typeIsLike \"int64\" (add 1 1) }} {{ typeIs \"int\" (len \"x\") }} {{ kindIs \"int64\" (max 1 2) }}", "{{ deepEqual (list 1 2) (list 1 2) }} {{ deepEqual 1 1.0 }} {{ deepEqual (dict) (dict) }} {{ deepEqual nil nil }} {{ deepEqual (add 1 1) 2 }} {{ deepEqual (rest (list)) (list) }}",
          "{{ fromJson \"{\\\"a\\\":1e400}\" }}", "{{ fromJson \"[1,\\\"x\\\",null,{}]\" | toJson }}", "{{ fromJson \"\\\"s\\\"\" }}", "{{ fromJson \"\" }}", "{{ mustFromJson \"\" }}", "{{ fromJson \"1 2\" }}", "{{ fromJson \" 7 \" }}", "{{ toPrettyJson (list) }}|{{ toPrettyJson (dict) }}|{{ toPrettyJson nil }}", "{{ toJson (list 1e20 1e21 1e-6 1e-7 123.456 -0.0 100000000) }}", "{{ toJson \"\\u007f\\u00ad\\ufeff\" }}", "{{ toJson (dict \"<k>\" \"&\") }}", "{{ toRawJson (dict \"<k>\" \"&\\u2028\") }}",
          "{{ coalesce }}", "{{ coalesce nil (list) (dict) 0.0 \"\" false 3 }}", "{{ ternary 1 2 true }}", "{{ empty (until 0) }} {{ empty (semver \"1.0.0\") }} {{ empty (add 0 0) }}", "{{ default \"d\" (add 0 0) }} {{ default \"d\" (list) }} {{ default \"d\" (dict \"a\" 1) }}", "{{ all }} {{ any }}", "{{ toString (add 1 2) }} {{ toString nil }} {{ toString (semver \"1.0.0\") }} {{ toString (list nil) }} {{ toString (dict \"a\" nil) }}", "{{ toStrings (list nil 1 (add 1 1) 2.5) }}", "{{ quote (add 1 1) \"x\" }} {{ squote nil }} {{ cat (list 1 nil) (dict) }}",
          "{{ initials \"élan vital\" }}", "{{ nospace \"a é b\" }}", "{{ nospace \"é\" }}", "{{ trunc 2 \"éa\" }}", "{{ substr 0 1 \"éa\" | len }}", "{{ abbrev 4 \"éééé\" }}", "{{ wrap 3 \"ééé ééé\" }}", "{{ title \"o'neil mc-d\" }}", "{{ swapcase \"ǅx Σς\" }}", "{{ upper \"ǆ ﬁ ŉ\" }}", "{{ lower \"ǅ Σ ẞ\" }}", "{{ title \"ǆa\" }}", "{{ repeat 0 \"x\" }}", "{{ repeat -1 \"x\" }}", "{{ indent -1 \"x\" }}", "{{ plural \"a\" \"b\" 0 }}", "{{ squote \"a\" 1 (list 2) }}", "{{ hello }}", "{{ adler32sum \"\" }} {{ adler32sum \"Wikipedia\" }}"]:
    c(t, ctx)
json.dump(T, open("cases.json", "w"))
print(len(T))
