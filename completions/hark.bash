# bash completion for hark: the commands, each command's options, the values of the options
# that take a word from a list, and file names. Options and the window, scale and colour map
# lists are read from 'hark COMMAND --help' itself, so they stay in step with the program.
# Installed as share/bash-completion/completions/hark; zsh loads it too (completions/_hark).

_hark_commands="render batch info levels spectrum live play devices"

# The options 'hark COMMAND --help' lists.
_hark_options() {
    hark "$1" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u
}

# The values of option $2 of command $1: from its help line "--opt X  a | b | c [default]",
# else from the lists here (each is checked against hark by tests/e2e/test_install.py).
_hark_values() {
    case "$2" in
        --format) echo "png npy both" ;;
        --weighting) echo "Z A C" ;;
        --octave) echo "1 3 6 12 24" ;;
        --png-deflate) echo "huffman zlib" ;;
        --orient) echo "top right" ;;
        --raw-format) echo "s16le s24le s32le f32le" ;;
        --channel) echo "mix 1 2" ;;
        *) hark "$1" --help 2>/dev/null |
               sed -n "s/^ *$2 [A-Z]* *\([a-z0-9-]*\( | [a-z0-9-]*\)\{1,\}\).*/\1/p" |
               sed 's/ | / /g' ;;
    esac
}

# COMPREPLY from compgen's words, one a line (names with spaces stay whole).
_hark_reply() {
    local words
    words=$(compgen "$@")
    local IFS=$'\n'
    COMPREPLY=($words)
}

_hark_bash() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local cmd=${COMP_WORDS[1]}
    COMPREPLY=()
    if ((COMP_CWORD == 1)); then
        _hark_reply -W "$_hark_commands --help --version" -- "$cur"
        return
    fi
    case "$prev" in
        --window | --scale | --colormap | --format | --png-deflate | --orient | --raw-format | \
        --channel | --weighting | --octave)
            _hark_reply -W "$(_hark_values "$cmd" "$prev")" -- "$cur"
            return ;;
        -o | --output)
            if [[ $cmd == batch ]]; then
                _hark_reply -d -- "$cur"
            else
                _hark_reply -f -- "$cur"
            fi
            return ;;
        --record | --snapshot-dir)
            _hark_reply -d -- "$cur"
            return ;;
        --raw | --stats | --input)
            _hark_reply -f -- "$cur"
            return ;;
        --fft | --hop | --overlap | --height | --range | --rate | --channels | --device | \
        --duration | --start | --size | --record-seconds | --tile-seconds | -j | --jobs | \
        --shard | --shard-count | --test-stall-dsp)
            return ;; # a number or a name: nothing to offer
    esac
    if [[ $cur == -* ]]; then
        _hark_reply -W "$(_hark_options "$cmd")" -- "$cur"
    else
        _hark_reply -f -- "$cur"
    fi
}

complete -o filenames -F _hark_bash hark
