# SPDX-License-Identifier: GPL-2.0
# bash completion for avfencectl(8)

_avfencectl_levels()
{
	# The levels of the loaded policy, if the module answers.
	avfencectl status --json 2>/dev/null |
		sed -n 's/.*"levels":\[\([^]]*\)\].*/\1/p' | tr -d '"' | tr ',' ' '
}

_avfencectl()
{
	local cur prev words cword
	_init_completion || return

	local commands="load check status monitor ps suggest mode lock label unlabel show attest verify help"
	if [[ $cword -eq 1 ]]; then
		COMPREPLY=($(compgen -W "$commands --help" -- "$cur"))
		return
	fi

	local cmd=${words[1]} i nargs=0
	for ((i = 2; i < cword; i++)); do
		[[ ${words[i]} != -* ]] && nargs=$((nargs + 1))
	done
	case $cmd in
	load)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--dry-run --help" -- "$cur"))
		else
			_filedir
		fi
		;;
	check)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--canonical --help" -- "$cur"))
		else
			_filedir
		fi
		;;
	status | ps)
		COMPREPLY=($(compgen -W "--json --help" -- "$cur"))
		;;
	monitor)
		if [[ $prev == --rcvbuf ]]; then
			COMPREPLY=($(compgen -W "256K 1M 4M 16M" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "--json --rcvbuf --help" -- "$cur"))
		fi
		;;
	mode)
		[[ $nargs -eq 0 ]] &&
			COMPREPLY=($(compgen -W "enforce audit --help" -- "$cur"))
		;;
	lock)
		COMPREPLY=($(compgen -W "--help" -- "$cur"))
		;;
	suggest)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--json --help" -- "$cur"))
		else
			_filedir
		fi
		;;
	attest)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--nonce --ak --log --help" -- "$cur"))
		else
			_filedir -d
		fi
		;;
	verify)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--nonce --ak-pub --digest --help" -- "$cur"))
		else
			_filedir
		fi
		;;
	label)
		if [[ " ${words[*]} " == *" --apply "* ||
		      " ${words[*]} " == *" --verify "* ]]; then
			if [[ $cur == -* ]]; then
				COMPREPLY=($(compgen -W "--json" -- "$cur"))
			else
				_filedir
			fi
		elif [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-R --recursive --apply --verify --help" -- "$cur"))
		elif [[ $nargs -eq 0 ]]; then
			COMPREPLY=($(compgen -W "$(_avfencectl_levels)" -- "$cur"))
		else
			_filedir
		fi
		;;
	unlabel)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-R --recursive --help" -- "$cur"))
		else
			_filedir
		fi
		;;
	show)
		_filedir
		;;
	help)
		[[ $nargs -eq 0 ]] &&
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		;;
	esac
} &&
	complete -F _avfencectl avfencectl
