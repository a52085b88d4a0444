ID +NAME +SEVERITY +DEFAULT +FIXABLE +TITLE\nDA001 +yaml-syntax +error +on .*\nDA101 +fieldref-unsupported-path +error +on .*\nDA202 +limit-not-set +warning +on .*
