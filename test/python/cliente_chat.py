# The tutorial's "Cliente de Chat", unchanged on the wire; only the server address comes from argv
# (the tutorial hard-codes localhost:5000) so tests can use a port chosen by the system.
import socket
import sys
import threading

HOST = sys.argv[1] if len(sys.argv) > 2 else 'localhost'
PORT = int(sys.argv[-1]) if len(sys.argv) > 1 else 5000


def receber_mensagens(cliente):
    """Thread para receber mensagens do servidor"""
    while True:
        try:
            mensagem = cliente.recv(1024).decode('utf-8')
            if mensagem == 'APELIDO':
                cliente.send(apelido.encode('utf-8'))
            else:
                print(mensagem)
        except:
            print('Erro ao receber mensagem!')
            cliente.close()
            break


def enviar_mensagens(cliente):
    """Thread para enviar mensagens ao servidor"""
    while True:
        try:
            mensagem = input('')
            mensagem_completa = f'{apelido}: {mensagem}'
            cliente.send(mensagem_completa.encode('utf-8'))
        except:
            cliente.close()
            break


# Configuração
apelido = input('Escolha seu apelido: ')

cliente = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
cliente.connect((HOST, PORT))

# Iniciar threads
thread_receber = threading.Thread(target=receber_mensagens, args=(cliente,))
thread_receber.start()

thread_enviar = threading.Thread(target=enviar_mensagens, args=(cliente,))
thread_enviar.start()
